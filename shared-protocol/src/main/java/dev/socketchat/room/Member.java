package dev.socketchat.room;

import java.net.InetAddress;

/**
 * One connected client as the room sees it: a name and an outbox. The server keeps the member it
 * got from {@link ChatRoom#join} and hands it back with every frame the client sends.
 *
 * <p>The name changes under the room's lock and is read anywhere, hence {@code volatile}.
 */
public final class Member {

    private final long id;
    private final String peer;
    private final InetAddress address;
    private final Outbox outbox;
    private final TokenBucket bucket;
    private volatile String name;
    private volatile boolean present = true;

    Member(long id, String name, String peer, InetAddress address, Outbox outbox, TokenBucket bucket) {
        this.id = id;
        this.name = name;
        this.peer = peer;
        this.address = address;
        this.outbox = outbox;
        this.bucket = bucket;
    }

    /** A number unique within the room, in order of joining. */
    public long id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** Where the client connects from, for the console. */
    public String peer() {
        return peer;
    }

    /** The address its share of the seats is counted under; {@code null} for a peer that has none. */
    InetAddress address() {
        return address;
    }

    /** Its message rate; used by the one thread that reads this member's frames. */
    TokenBucket bucket() {
        return bucket;
    }

    public Outbox outbox() {
        return outbox;
    }

    /** Whether the member is still in the room; once it has left, the server stops reading from it. */
    public boolean isPresent() {
        return present;
    }

    void rename(String newName) {
        name = newName;
    }

    void markGone() {
        present = false;
    }

    @Override
    public String toString() {
        return name + " (" + peer + ")";
    }
}

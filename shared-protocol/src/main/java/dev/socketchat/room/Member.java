package dev.socketchat.room;

/**
 * One connected client as the room sees it: a name and an outbox. The server keeps the member it
 * got from {@link ChatRoom#join} and hands it back with every frame the client sends.
 *
 * <p>The name changes under the room's lock and is read anywhere, hence {@code volatile}.
 */
public final class Member {

    private final long id;
    private final String peer;
    private final Outbox outbox;
    private volatile String name;
    private volatile boolean present = true;

    Member(long id, String name, String peer, Outbox outbox) {
        this.id = id;
        this.name = name;
        this.peer = peer;
        this.outbox = outbox;
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

package dev.socketchat.bench;

import dev.socketchat.load.ClientDriver;
import dev.socketchat.protocol.Frame;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Fan-out load: one member of the room sends chat messages, and every member, the sender
 * included, receives each of them. An operation is one frame delivered to one member.
 *
 * <p>Flow control: the sender keeps at most {@code window} messages that not every member has
 * received yet. Without it the sender would outrun the slowest member until the server dropped
 * that member as too slow (docs/protocol.md §7), and the run would measure the drop, not the delivery.
 * Every member receives the messages in one total order (§5), so its n-th chat frame is the n-th
 * message; a ring of {@code window} counters tracks how many members have each message in flight.
 */
public final class FanOutDriver extends ClientDriver {

    /**
     * 32 bytes of text: a short chat line. The relayed frame adds the header and "[guest-1] ". The
     * cluster benchmark sends it too, so that its frames are the size of this benchmark's.
     */
    public static final String MESSAGE = "fan-out benchmark message 32 by.";

    private static final byte[] CHAT = wire(Frame.of(MESSAGE));

    private final int window;
    private final int members;
    private final long[] received;
    private final int[] receivedBy;
    private long sent;
    private long deliveredToAll;
    private boolean started;

    FanOutDriver(InetSocketAddress server, int members, int window) throws IOException {
        super(server, members);
        this.window = window;
        this.members = members;
        this.received = new long[members];
        this.receivedBy = new int[window];
    }

    /** Starts sending; every member must have been welcomed. */
    void start() throws IOException {
        call(() -> {
            started = true;
            topUp();
            return null;
        });
    }

    @Override
    protected void frame(Client client, byte[] bytes, int offset, int length, long receivedAt) {
        if (length == 0 || bytes[offset] != '[') {
            fail("member " + client.index() + " expected a chat message, got: " + text(bytes, offset, length));
        }
        long message = received[client.index()]++;
        completed(1);
        int slot = (int) (message % window);
        if (++receivedBy[slot] == members && message == deliveredToAll) {
            while (deliveredToAll < sent && receivedBy[(int) (deliveredToAll % window)] == members) {
                receivedBy[(int) (deliveredToAll % window)] = 0;
                deliveredToAll++;
            }
        }
    }

    @Override
    protected void afterTurn() {
        if (started) {
            topUp();
        }
    }

    @Override
    protected void lost(Client client, String reason) {
        if (started) {
            fail("member " + client.index() + " lost its connection: " + reason);
        }
    }

    /** Sends as many messages as the window allows, in one write. */
    private void topUp() {
        Client sender = clients()[0];
        while (sent - deliveredToAll < window) {
            send(sender, CHAT);
            sent++;
        }
    }
}

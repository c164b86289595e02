package dev.socketchat.bench;

import dev.socketchat.load.ClientDriver;
import dev.socketchat.protocol.Frame;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Request/response load: every client keeps {@code window} {@code !ping}s in flight and sends the
 * next one as soon as a {@code !pong} comes back, timing each round trip.
 *
 * <p>Replies to one client come back in the order of its requests (docs/protocol.md §6), so each client
 * keeps the send times of its pings in a small ring, and a reply matches the oldest one.
 */
final class PingPongDriver extends ClientDriver {

    private static final byte[] PING = wire(Frame.of("!ping"));
    private static final byte[] PONG = "!pong".getBytes(StandardCharsets.US_ASCII);

    private final int window;
    private final long[] sentAt;
    private final int[] oldest;
    /** Nanoseconds, to 3 significant digits: a percentile is within 0.1% of the true one. */
    private final Histogram latencies = new Histogram(3);
    private boolean started;

    PingPongDriver(InetSocketAddress server, int clients, int window) throws IOException {
        super(server, clients);
        this.window = window;
        this.sentAt = new long[clients * window];
        this.oldest = new int[clients];
    }

    /** Fills every welcomed client's window; from then on each reply is answered by a new ping. */
    void start() throws IOException {
        call(() -> {
            long now = System.nanoTime();
            for (Client client : clients()) {
                if (client != null && client.isOpen() && client.isWelcomed()) {
                    for (int i = 0; i < window; i++) {
                        ping(client, i, now);
                    }
                }
            }
            started = true;
            return null;
        });
    }

    /** The round trips timed since the last call, and a fresh start for the next ones. */
    Histogram takeLatencies() throws IOException {
        return call(() -> {
            Histogram taken = latencies.copy();
            latencies.reset();
            return taken;
        });
    }

    @Override
    protected void frame(Client client, byte[] bytes, int offset, int length, long receivedAt) {
        if (length != PONG.length || !startsWith(bytes, offset, length, PONG)) {
            fail("client " + client.index() + " expected !pong, got: " + text(bytes, offset, length));
        }
        int slot = oldest[client.index()];
        // A clock that went backwards counts as 0, which the histogram, unlike a negative value, takes.
        latencies.recordValue(Math.max(0, receivedAt - sentAt[client.index() * window + slot]));
        oldest[client.index()] = (slot + 1) % window;
        completed(1);
        // The reply frees the slot it used: the next ping takes it. Written once this read is handled.
        ping(client, slot, receivedAt);
    }

    @Override
    protected void lost(Client client, String reason) {
        if (started) {
            fail("client " + client.index() + " lost its connection: " + reason);
        }
    }

    private void ping(Client client, int slot, long now) {
        sentAt[client.index() * window + slot] = now;
        send(client, PING);
    }
}

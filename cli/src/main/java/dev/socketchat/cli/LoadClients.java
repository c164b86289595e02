package dev.socketchat.cli;

import dev.socketchat.load.ClientDriver;
import dev.socketchat.protocol.Frame;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The clients of {@code chat load}: the load generator the benchmarks use ({@link ClientDriver}:
 * one thread and a selector, so that 10,000 clients cost this process one thread and the server
 * under watch is the one working), with a chat workload on top.
 *
 * <p>Chatting, the clients send RATE messages a second in all, round robin over those welcomed. A
 * round trip is timed from the moment a client's message is queued until its own copy comes back:
 * the server relays every chat message to the sender too, and a client's messages keep their
 * order (docs/protocol.md §4, §5), so each client's send times form a queue. Idle clients send an
 * empty frame every {@link #KEEPALIVE_NANOS minute}, well inside the default idle timeout.
 */
final class LoadClients extends ClientDriver {

    private static final long KEEPALIVE_NANOS = Duration.ofMinutes(1).toNanos();
    private static final byte[] KEEPALIVE = wire(Frame.KEEPALIVE);

    /**
     * What a status line shows: the connections now, and the traffic since the previous snapshot.
     *
     * @param returned  the senders' own copies that came back
     * @param inFlight  messages sent whose own copy has not come back yet, now
     * @param p99Millis the 99th percentile of those round trips; NaN if none came back
     */
    record Snapshot(Connections connections, int target, long sent, long returned, long received, long inFlight,
                    double p99Millis) {

        /** Clients opened or yet to open that were neither welcomed nor refused yet. */
        int connecting() {
            return target - connections.welcomed() - connections.refused();
        }
    }

    /** A welcomed client's name as its messages carry it, and when it sent those not yet back. */
    private record Member(byte[] prefix, ArrayDeque<Long> sentAt) {
    }

    private final int target;
    private final int ratePerSecond;
    private final Member[] members;
    private final List<Client> senders = new ArrayList<>();
    /** Nanoseconds, to 3 significant digits. */
    private final Histogram roundTrips = new Histogram(3);

    // Loop thread only.
    private boolean started;
    private long startNanos;
    private long lastKeepalive;
    private long messagesDue;
    private int nextSender;
    private long sent;
    private long returned;
    private long received;
    private long inFlight;

    private LoadClients(InetSocketAddress server, int clients, int ratePerSecond) throws IOException {
        // Chatting wakes the loop often enough to keep the rate smooth; idle clients only need the keepalive.
        super(server, clients, Duration.ofMillis(ratePerSecond > 0 ? 5 : 1_000));
        this.target = clients;
        this.ratePerSecond = ratePerSecond;
        this.members = new Member[clients];
    }

    /**
     * Starts connecting {@code clients} clients to {@code server}; they chat at {@code ratePerSecond}
     * messages per second in all, or stay idle if it is 0.
     */
    static LoadClients start(InetSocketAddress server, int clients, int ratePerSecond) throws IOException {
        LoadClients load = new LoadClients(server, clients, ratePerSecond);
        try {
            load.call(() -> {
                load.startNanos = System.nanoTime();
                load.lastKeepalive = load.startNanos;
                load.started = true;
                return null;
            });
            load.startConnecting();
        } catch (IOException e) {
            load.close();
            throw e;
        }
        return load;
    }

    /** The connections now and the traffic since the previous snapshot, which starts the next interval. */
    Snapshot snapshot() throws IOException {
        Connections connections = connections();
        return call(() -> {
            double p99 = roundTrips.getTotalCount() == 0 ? Double.NaN : roundTrips.getValueAtPercentile(99) / 1e6;
            Snapshot snapshot = new Snapshot(connections, target, sent, returned, received, inFlight, p99);
            sent = 0;
            returned = 0;
            received = 0;
            roundTrips.reset();
            return snapshot;
        });
    }

    @Override
    protected void welcomed(Client client, byte[] bytes, int offset, int length) {
        // "* welcome guest-7 (7 online)": this client's messages come back as "[guest-7] ...".
        String name = new String(bytes, offset, length, StandardCharsets.UTF_8).split(" ")[2];
        members[client.index()] = new Member(("[" + name + "] ").getBytes(StandardCharsets.UTF_8), new ArrayDeque<>());
        senders.add(client);
    }

    @Override
    protected void frame(Client client, byte[] bytes, int offset, int length, long receivedAt) {
        received++;
        Member member = members[client.index()];
        if (!member.sentAt().isEmpty() && startsWith(bytes, offset, length, member.prefix())) {
            returned++;
            inFlight--;
            roundTrips.recordValue(Math.max(0, receivedAt - member.sentAt().poll()));
        }
    }

    @Override
    protected void lost(Client client, String reason) {
        senders.remove(client);
        inFlight -= members[client.index()].sentAt().size();
    }

    @Override
    protected void afterTurn() {
        if (!started) {
            return;
        }
        long now = System.nanoTime();
        if (ratePerSecond > 0) {
            sendDue(now);
        } else if (now - lastKeepalive > KEEPALIVE_NANOS) {
            senders.forEach(client -> send(client, KEEPALIVE));
            lastKeepalive = now;
        }
    }

    private void sendDue(long now) {
        long due = (now - startNanos) * ratePerSecond / 1_000_000_000L - messagesDue;
        if (due <= 0) {
            return;
        }
        messagesDue += due;
        if (senders.isEmpty()) {
            // Nobody to send them yet: they are skipped, not sent in one burst once a client is in.
            return;
        }
        for (long i = 0; i < due; i++) {
            Client client = senders.get(nextSender++ % senders.size());
            members[client.index()].sentAt().add(now);
            send(client, wire(Frame.of("load " + (messagesDue - due + i))));
            sent++;
            inFlight++;
        }
    }
}

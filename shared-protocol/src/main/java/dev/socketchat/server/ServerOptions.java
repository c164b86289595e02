package dev.socketchat.server;

import java.time.Duration;
import java.util.Objects;

/**
 * Every setting a server takes, each with the default of docs/protocol.md §7. The same options mean the
 * same thing in every lesson; a model that has no use for one (a pool size in a model without a
 * pool) ignores it.
 *
 * <p>Immutable: start from {@link #defaults()} and change what you need with the {@code with…}
 * methods, for example {@code ServerOptions.defaults().withPort(0).withIdleTimeout(Duration.ofSeconds(1))}.
 *
 * @param host           the address to listen on; anything but loopback is an explicit choice
 * @param port           the port to listen on; 0 picks a free one, readable from {@link ChatServer#address()}
 * @param maxPayload     the largest payload a client may send, in bytes
 * @param outboundLimit  bytes queued for one client but not yet written before it counts as a slow consumer
 * @param frameTimeout   how long a frame may take from its first byte to its last
 * @param idleTimeout    how long a client may send nothing at all
 * @param maxClients     how many clients may be connected at once
 * @param grace          how long shutdown waits for queued frames to be written
 * @param notices        whether joins and leaves are announced to the room
 * @param quiet          whether the console shows only start, stop and errors
 * @param threads        the number of worker threads, for models with a pool; 0 means the model's default
 * @param loops          the number of event loops, for models with several; 0 means the model's default
 * @param transport      the I/O transport, for a model that can choose one (lesson 08, Netty)
 * @param cluster        the broker through which this server shares its room with other servers, as a URI
 *                       such as {@code redis://127.0.0.1:6379} (docs/protocol.md §10); empty for a room of
 *                       this server alone
 * @param maxClientsPerAddress how many clients one address may have connected at once, so that no single
 *                       host takes every seat (docs/protocol.md §7)
 * @param maxRate        how many frames a second one client may send on average (its token bucket's refill)
 * @param maxBurst       how many frames one client may send at once before its rate holds it back (the
 *                       bucket's size)
 */
public record ServerOptions(
        String host,
        int port,
        int maxPayload,
        long outboundLimit,
        Duration frameTimeout,
        Duration idleTimeout,
        int maxClients,
        Duration grace,
        boolean notices,
        boolean quiet,
        int threads,
        int loops,
        Transport transport,
        String cluster,
        int maxClientsPerAddress,
        int maxRate,
        int maxBurst) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 5050;
    public static final int DEFAULT_MAX_PAYLOAD = 1_048_576;
    public static final long DEFAULT_OUTBOUND_LIMIT = 4L * 1_048_576;
    public static final Duration DEFAULT_FRAME_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(300);
    public static final int DEFAULT_MAX_CLIENTS = 10_000;
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    /** One address may take 1% of the default seats: a classroom behind one NAT fits, one host cannot fill the room. */
    public static final int DEFAULT_MAX_CLIENTS_PER_ADDRESS = 100;
    /** Twenty frames a second is several times the fastest typist, whose lines come a second or more apart. */
    public static final int DEFAULT_MAX_RATE = 20;
    /** A pasted screenful of lines, or a script's greeting, goes through at once. */
    public static final int DEFAULT_MAX_BURST = 200;

    public ServerOptions {
        Objects.requireNonNull(host, "host");
        requireInRange("port", port, 0, 65_535);
        requireInRange("maxPayload", maxPayload, 0, Integer.MAX_VALUE - 64);
        if (outboundLimit < 1) {
            throw new IllegalArgumentException("outboundLimit must be at least 1 byte: " + outboundLimit);
        }
        requirePositive("frameTimeout", frameTimeout);
        requirePositive("idleTimeout", idleTimeout);
        requireInRange("maxClients", maxClients, 1, Integer.MAX_VALUE);
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        requireInRange("threads", threads, 0, 100_000);
        requireInRange("loops", loops, 0, 1_024);
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(cluster, "cluster");
        requireInRange("maxClientsPerAddress", maxClientsPerAddress, 1, Integer.MAX_VALUE);
        requireInRange("maxRate", maxRate, 1, Integer.MAX_VALUE);
        requireInRange("maxBurst", maxBurst, 1, Integer.MAX_VALUE);
    }

    /**
     * The most connections the server holds open at once, members and non-members together:
     * {@code maxClients} in the room, and as many again that are leaving (writing their last
     * frames, then lingering) or being refused (docs/protocol.md §7). A connection accepted beyond
     * it is closed at once, without a word, so that no flood of connections, however they behave,
     * makes the server hold more descriptors (or, in a blocking model, threads) than this bound.
     */
    public int connectionBudget() {
        return (int) Math.min(Integer.MAX_VALUE, 2L * maxClients);
    }

    /**
     * The defaults of docs/protocol.md: 127.0.0.1:5050, 1 MiB payloads, 4 MiB outbound, 10 s, 300 s,
     * 10,000 clients, 5 s, 100 clients an address, 20 frames a second with bursts of 200.
     */
    public static ServerOptions defaults() {
        return new ServerOptions(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_PAYLOAD, DEFAULT_OUTBOUND_LIMIT,
                DEFAULT_FRAME_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CLIENTS, DEFAULT_GRACE,
                true, false, 0, 0, Transport.AUTO, "", DEFAULT_MAX_CLIENTS_PER_ADDRESS, DEFAULT_MAX_RATE,
                DEFAULT_MAX_BURST);
    }

    public ServerOptions withHost(String host) {
        return new ServerOptions(host, port, maxPayload, outboundLimit, frameTimeout, idleTimeout, maxClients,
                grace, notices, quiet, threads, loops, transport, cluster, maxClientsPerAddress, maxRate, maxBurst);
    }

    public ServerOptions withPort(int port) {
        return new ServerOptions(host, port, maxPayload, outboundLimit, frameTimeout, idleTimeout, maxClients,
                grace, notices, quiet, threads, loops, transport, cluster, maxClientsPerAddress, maxRate, maxBurst);
    }

    public ServerOptions withMaxPayload(int maxPayload) {
        return new ServerOptions(host, port, maxPayload, outboundLimit, frameTimeout, idleTimeout, maxClients,
                grace, notices, quiet, threads, loops, transport, cluster, maxClientsPerAddress, maxRate, maxBurst);
    }

    public ServerOptions withOutboundLimit(long outboundLimit) {
        return new ServerOptions(host, port, maxPayload, outboundLimit, frameTimeout, idleTimeout, maxClients,
                grace, notices, quiet, threads, loops, transport, cluster, maxClientsPerAddress, maxRate, maxBurst);
    }

    public ServerOptions withFrameTimeout(Duration frameTimeout) {
        return new ServerOptions(host, port, maxPayload, outboundLimit, frameTimeout, idleTimeout, maxClients,
                grace, notices, quiet, threads, loops, transport, cluster, maxClientsPerAddress, maxRate, maxBurst);
    }

    public ServerOptions withIdleTimeout(Duration idleTimeout) {
        return new ServerOptions(host, port, maxPayload, outboundLimit, frameTimeout, idleTimeout, maxClients,
                grace, notices, quiet, threads, loops, transport, cluster, maxClientsPerAddress, maxRate, maxBurst);
    }

    public ServerOptions withMaxClients(int maxClients) {
        return new ServerOptions(host, port, maxPayload, outboundLimit, frameTimeout, idleTimeout, maxClients,
                grace, notices, quiet, threads, loops, transport, cluster, maxClientsPerAddress, maxRate, maxBurst);
    }

    public ServerOptions withGrace(Duration grace) {
        return new ServerOptions(host, port, maxPayload, outboundLimit, frameTimeout, idleTimeout, maxClients,
                grace, notices, quiet, threads, loops, transport, cluster, maxClientsPerAddress, maxRate, maxBurst);
    }

    public ServerOptions withNotices(boolean notices) {
        return new ServerOptions(host, port, maxPayload, outboundLimit, frameTimeout, idleTimeout, maxClients,
                grace, notices, quiet, threads, loops, transport, cluster, maxClientsPerAddress, maxRate, maxBurst);
    }

    public ServerOptions withQuiet(boolean quiet) {
        return new ServerOptions(host, port, maxPayload, outboundLimit, frameTimeout, idleTimeout, maxClients,
                grace, notices, quiet, threads, loops, transport, cluster, maxClientsPerAddress, maxRate, maxBurst);
    }

    public ServerOptions withThreads(int threads) {
        return new ServerOptions(host, port, maxPayload, outboundLimit, frameTimeout, idleTimeout, maxClients,
                grace, notices, quiet, threads, loops, transport, cluster, maxClientsPerAddress, maxRate, maxBurst);
    }

    public ServerOptions withLoops(int loops) {
        return new ServerOptions(host, port, maxPayload, outboundLimit, frameTimeout, idleTimeout, maxClients,
                grace, notices, quiet, threads, loops, transport, cluster, maxClientsPerAddress, maxRate, maxBurst);
    }

    public ServerOptions withTransport(Transport transport) {
        return new ServerOptions(host, port, maxPayload, outboundLimit, frameTimeout, idleTimeout, maxClients,
                grace, notices, quiet, threads, loops, transport, cluster, maxClientsPerAddress, maxRate, maxBurst);
    }

    public ServerOptions withCluster(String cluster) {
        return new ServerOptions(host, port, maxPayload, outboundLimit, frameTimeout, idleTimeout, maxClients,
                grace, notices, quiet, threads, loops, transport, cluster, maxClientsPerAddress, maxRate, maxBurst);
    }

    public ServerOptions withMaxClientsPerAddress(int maxClientsPerAddress) {
        return new ServerOptions(host, port, maxPayload, outboundLimit, frameTimeout, idleTimeout, maxClients,
                grace, notices, quiet, threads, loops, transport, cluster, maxClientsPerAddress, maxRate, maxBurst);
    }

    public ServerOptions withMaxRate(int maxRate) {
        return new ServerOptions(host, port, maxPayload, outboundLimit, frameTimeout, idleTimeout, maxClients,
                grace, notices, quiet, threads, loops, transport, cluster, maxClientsPerAddress, maxRate, maxBurst);
    }

    public ServerOptions withMaxBurst(int maxBurst) {
        return new ServerOptions(host, port, maxPayload, outboundLimit, frameTimeout, idleTimeout, maxClients,
                grace, notices, quiet, threads, loops, transport, cluster, maxClientsPerAddress, maxRate, maxBurst);
    }

    /** Whether the room spans several servers through a broker, rather than this server alone. */
    public boolean clustered() {
        return !cluster.isEmpty();
    }

    private static void requireInRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ": " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}

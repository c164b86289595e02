package dev.socketchat.server;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Every setting a server takes, each with the default of docs/protocol.md §7. The same options mean the
 * same thing in every lesson. A setting only some models read (a pool's size, a number of event
 * loops) is not a field but a {@link ModelSetting}, read with {@link #get} by the models that declare
 * it in {@link ServerModel#settings()}.
 *
 * <p>Immutable: start from {@link #defaults()} and change what you need, for example
 * {@code ServerOptions.defaults().withPort(0).withIdleTimeout(Duration.ofSeconds(1)).with(ModelSetting.THREADS, 8)}.
 *
 * @param host           the address to listen on; anything but loopback is an explicit choice
 * @param port           the port to listen on; 0 picks a free one, readable from {@link ChatServer#address()}
 * @param maxPayload     the largest payload a client may send, in bytes
 * @param outboundLimit  bytes queued for one client but not yet written before it counts as a slow consumer
 * @param frameTimeout   how long a frame may take from its first byte to its last
 * @param idleTimeout    how long a client may send nothing at all
 * @param maxClients     how many clients may be connected at once
 * @param maxClientsPerAddress how many clients one address may have connected at once, so that no single
 *                       host takes every seat (docs/protocol.md §7)
 * @param maxRate        how many frames a second one client may send on average (its token bucket's refill)
 * @param maxBurst       how many frames one client may send at once before its rate holds it back (the
 *                       bucket's size)
 * @param notices        whether joins and leaves are announced to the room
 * @param cluster        the broker through which this server shares its room with other servers, as a URI
 *                       such as {@code redis://127.0.0.1:6379} (docs/protocol.md §10); empty for a room of
 *                       this server alone. The room reads it, so every model serves a shared room.
 * @param grace          how long shutdown waits for queued frames to be written
 * @param quiet          whether the console shows only start, stop and errors
 * @param modelSettings  the {@link ModelSetting}s that differ from their defaults; read them with {@link #get}
 */
public record ServerOptions(
        // where it listens
        String host,
        int port,
        // what one connection may do
        int maxPayload,
        long outboundLimit,
        Duration frameTimeout,
        Duration idleTimeout,
        // the room's seats, and each client's share
        int maxClients,
        int maxClientsPerAddress,
        int maxRate,
        int maxBurst,
        // the room, the shutdown and the console
        boolean notices,
        String cluster,
        Duration grace,
        boolean quiet,
        // what only some models read
        Map<ModelSetting<?>, Object> modelSettings) {

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
        requireInRange("maxClientsPerAddress", maxClientsPerAddress, 1, Integer.MAX_VALUE);
        requireInRange("maxRate", maxRate, 1, Integer.MAX_VALUE);
        requireInRange("maxBurst", maxBurst, 1, Integer.MAX_VALUE);
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        Objects.requireNonNull(modelSettings, "modelSettings").forEach(ModelSetting::check);
        modelSettings = Map.copyOf(modelSettings);
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
                DEFAULT_FRAME_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CLIENTS, DEFAULT_MAX_CLIENTS_PER_ADDRESS,
                DEFAULT_MAX_RATE, DEFAULT_MAX_BURST, true, "", DEFAULT_GRACE, false, Map.of());
    }

    /** The value of a setting only some models read: the one set, or else its default. */
    public <T> T get(ModelSetting<T> setting) {
        Object value = modelSettings.get(setting);
        return value == null ? setting.defaultValue() : setting.check(value);
    }

    /** These options with a setting only some models read changed; set to its default, it is as if never set. */
    public <T> ServerOptions with(ModelSetting<T> setting, T value) {
        setting.check(value);
        Map<ModelSetting<?>, Object> changed = new HashMap<>(modelSettings);
        if (value.equals(setting.defaultValue())) {
            changed.remove(setting);
        } else {
            changed.put(setting, value);
        }
        return change(options -> options.modelSettings = changed);
    }

    public ServerOptions withHost(String host) {
        return change(options -> options.host = host);
    }

    public ServerOptions withPort(int port) {
        return change(options -> options.port = port);
    }

    public ServerOptions withMaxPayload(int maxPayload) {
        return change(options -> options.maxPayload = maxPayload);
    }

    public ServerOptions withOutboundLimit(long outboundLimit) {
        return change(options -> options.outboundLimit = outboundLimit);
    }

    public ServerOptions withFrameTimeout(Duration frameTimeout) {
        return change(options -> options.frameTimeout = frameTimeout);
    }

    public ServerOptions withIdleTimeout(Duration idleTimeout) {
        return change(options -> options.idleTimeout = idleTimeout);
    }

    public ServerOptions withMaxClients(int maxClients) {
        return change(options -> options.maxClients = maxClients);
    }

    public ServerOptions withMaxClientsPerAddress(int maxClientsPerAddress) {
        return change(options -> options.maxClientsPerAddress = maxClientsPerAddress);
    }

    public ServerOptions withMaxRate(int maxRate) {
        return change(options -> options.maxRate = maxRate);
    }

    public ServerOptions withMaxBurst(int maxBurst) {
        return change(options -> options.maxBurst = maxBurst);
    }

    public ServerOptions withNotices(boolean notices) {
        return change(options -> options.notices = notices);
    }

    public ServerOptions withCluster(String cluster) {
        return change(options -> options.cluster = cluster);
    }

    public ServerOptions withGrace(Duration grace) {
        return change(options -> options.grace = grace);
    }

    public ServerOptions withQuiet(boolean quiet) {
        return change(options -> options.quiet = quiet);
    }

    /** Whether the room spans several servers through a broker, rather than this server alone. */
    public boolean clustered() {
        return !cluster.isEmpty();
    }

    /** A copy with {@code edit} applied, checked as any new options are: the one place that copies every field. */
    private ServerOptions change(Consumer<Draft> edit) {
        Draft draft = new Draft(this);
        edit.accept(draft);
        return draft.options();
    }

    /** The fields of options being changed; lives only inside {@link #change}. */
    private static final class Draft {
        String host;
        int port;
        int maxPayload;
        long outboundLimit;
        Duration frameTimeout;
        Duration idleTimeout;
        int maxClients;
        int maxClientsPerAddress;
        int maxRate;
        int maxBurst;
        boolean notices;
        String cluster;
        Duration grace;
        boolean quiet;
        Map<ModelSetting<?>, Object> modelSettings;

        Draft(ServerOptions from) {
            host = from.host;
            port = from.port;
            maxPayload = from.maxPayload;
            outboundLimit = from.outboundLimit;
            frameTimeout = from.frameTimeout;
            idleTimeout = from.idleTimeout;
            maxClients = from.maxClients;
            maxClientsPerAddress = from.maxClientsPerAddress;
            maxRate = from.maxRate;
            maxBurst = from.maxBurst;
            notices = from.notices;
            cluster = from.cluster;
            grace = from.grace;
            quiet = from.quiet;
            modelSettings = from.modelSettings;
        }

        ServerOptions options() {
            return new ServerOptions(host, port, maxPayload, outboundLimit, frameTimeout, idleTimeout, maxClients,
                    maxClientsPerAddress, maxRate, maxBurst, notices, cluster, grace, quiet, modelSettings);
        }
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

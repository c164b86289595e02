package dev.socketchat.cli;

import dev.socketchat.room.RoomLogs;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ModelSetting;
import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerModels;
import dev.socketchat.server.ServerOptions;
import dev.socketchat.server.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code chat server}: runs one lesson's server until SIGINT or SIGTERM. Every option is a limit of
 * docs/protocol.md §7 and maps onto one field of {@link ServerOptions}; the model is found by name among
 * the models registered on the class path.
 */
@Command(name = "server", sortOptions = false,
        description = "Runs a chat server of the chosen model until Ctrl-C (SIGINT) or SIGTERM.")
final class ServerCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "thread-per-client",
            description = "The concurrency model, a lesson's folder name without its number, "
                    + "as listed by `chat models` (default: ${DEFAULT-VALUE}).")
    private String model;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = ServerOptions.DEFAULT_HOST,
            description = "The address to listen on (default: ${DEFAULT-VALUE}); anything else reaches beyond this machine.")
    private String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "5050",
            description = "The port to listen on, 0 for any free one (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--max-payload", paramLabel = "SIZE", defaultValue = "1MiB", converter = SizeConverter.class,
            description = "The largest payload a client may send (default: ${DEFAULT-VALUE}).")
    private long maxPayload;

    @Option(names = "--outbound-limit", paramLabel = "SIZE", defaultValue = "4MiB", converter = SizeConverter.class,
            description = "Bytes queued for one client before it is dropped as too slow (default: ${DEFAULT-VALUE}).")
    private long outboundLimit;

    @Option(names = "--frame-timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long one frame may take from its first byte to its last (default: ${DEFAULT-VALUE}).")
    private Duration frameTimeout;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "300s", converter = DurationConverter.class,
            description = "How long a client may send nothing at all (default: ${DEFAULT-VALUE}).")
    private Duration idleTimeout;

    @Option(names = "--max-clients", paramLabel = "N", defaultValue = "10000",
            description = "How many clients may be connected at once (default: ${DEFAULT-VALUE}).")
    private int maxClients;

    @Option(names = "--max-clients-per-address", paramLabel = "N", defaultValue = "100",
            description = "How many clients one address may have connected at once (default: ${DEFAULT-VALUE}).")
    private int maxClientsPerAddress;

    @Option(names = "--max-rate", paramLabel = "N/s", defaultValue = "20/s", converter = RateConverter.class,
            description = "Frames a second one client may send on average; its excess is not read until it "
                    + "slows down (default: ${DEFAULT-VALUE}).")
    private int maxRate;

    @Option(names = "--max-burst", paramLabel = "N", defaultValue = "200",
            description = "Frames one client may send at once before --max-rate holds it back (default: ${DEFAULT-VALUE}).")
    private int maxBurst;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "How long shutdown waits for queued frames to be written (default: ${DEFAULT-VALUE}).")
    private Duration grace;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Worker threads, for thread-pool and async-channels; 0 lets the model choose (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--loops", paramLabel = "N", defaultValue = "0",
            description = "Event loops, for multi-reactor and netty; 0 lets the model choose (default: ${DEFAULT-VALUE}).")
    private int loops;

    @Option(names = "--transport", paramLabel = "NAME", defaultValue = "auto",
            description = "The I/O transport, for netty: auto, io_uring, epoll or nio (default: ${DEFAULT-VALUE}).")
    private String transport;

    @Option(names = "--cluster", paramLabel = "URI", defaultValue = "",
            description = "Share one room with every server on this broker, e.g. redis://127.0.0.1:6379 "
                    + "(lesson 09); by default the room is this server's alone.")
    private String cluster;

    @Option(names = "--no-notices", description = "Do not announce joins and leaves to the room.")
    private boolean noNotices;

    @Option(names = "--quiet", description = "Print only start, stop and errors, not every message.")
    private boolean quiet;

    @Option(names = "--stats", paramLabel = "DURATION", arity = "0..1", fallbackValue = "5s",
            converter = DurationConverter.class,
            description = "Every DURATION (default 5s), print what the server holds (clients, threads, heap, "
                    + "resident memory) and what it spent since the last line, per second and per chat message "
                    + "(CPU, context switches, read and write calls, heap allocated).")
    private Duration stats;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    private final PrintStream out;
    private final StopSignal stopSignal;

    ServerCommand(PrintStream out, StopSignal stopSignal) {
        this.out = out;
        this.stopSignal = stopSignal;
    }

    @Override
    public Integer call() throws InterruptedException {
        ServerOptions options = options();
        ServerModel chosen = ServerModels.named(model).orElseThrow(() -> invalid(
                "unknown model '" + model + "'; the models are: " + modelNames()));
        chosen.brokenOnPurpose().ifPresent(hazard -> spec.commandLine().getErr()
                .println("chat server: warning: " + chosen.name() + " is broken on purpose: " + hazard));
        ServerConsole console = new ServerConsole(out, options.quiet(), chosen.name());
        ChatServer server;
        try {
            server = chosen.create(options, console);
        } catch (IllegalArgumentException e) {
            // The model cannot work with these options, such as a pool size it cannot divide.
            throw invalid(e.getMessage());
        }
        warnAboutIgnoredSettings(chosen, options);
        warnIfReachableBeyondThisMachine();
        Optional<String> shared;
        try {
            shared = RoomLogs.reach(options);
        } catch (IOException e) {
            // A server whose room is out of reach would refuse every client: better not to start.
            spec.commandLine().getErr().println("chat server: " + e.getMessage());
            return 2;
        }
        try {
            server.start();
        } catch (IOException e) {
            // Most often "address already in use": another server has the port. Not a usage error,
            // so without the pointer to --help, but the same exit status as any bad option.
            spec.commandLine().getErr().println("chat server: cannot listen on " + host + ":" + port + ": "
                    + Reasons.of(e));
            return 2;
        }
        shared.ifPresent(console::status);
        ScheduledExecutorService statsPrinter = stats == null ? null : printStats(new ServerStats(console));
        try {
            stopSignal.await();
        } finally {
            if (statsPrinter != null) {
                statsPrinter.shutdownNow();
            }
            server.stop();
            stopSignal.stopped(0);
        }
        return 0;
    }

    /** Prints a stats line now and then every {@link #stats}, on a thread of its own. */
    private ScheduledExecutorService printStats(ServerStats serverStats) {
        ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "server stats");
            thread.setDaemon(true);
            return thread;
        });
        printer.scheduleAtFixedRate(() -> serverStats.lines().forEach(out::println), 0, stats.toMillis(), TimeUnit.MILLISECONDS);
        return printer;
    }

    /** The parsed options, checked, as the server takes them. */
    ServerOptions options() {
        require(port >= 0 && port <= 65_535, "--port must be between 0 and 65535, not " + port);
        require(maxPayload >= 1, "--max-payload must be at least 1 byte: with 0, every message would be refused");
        require(maxPayload <= Integer.MAX_VALUE - 64, "--max-payload must be below 2GiB, not " + maxPayload);
        require(outboundLimit >= 1, "--outbound-limit must be at least 1 byte");
        require(!frameTimeout.isZero(), "--frame-timeout must be longer than 0");
        require(stats == null || stats.toMillis() >= 100, "--stats must be at least 100ms");
        require(!idleTimeout.isZero(), "--idle-timeout must be longer than 0");
        require(maxClients >= 1, "--max-clients must be at least 1, not " + maxClients);
        require(maxClientsPerAddress >= 1,
                "--max-clients-per-address must be at least 1, not " + maxClientsPerAddress);
        require(maxRate >= 1, "--max-rate must be at least 1/s, not " + maxRate + "/s");
        require(maxBurst >= 1, "--max-burst must be at least 1, not " + maxBurst);
        require(threads >= 0 && threads <= 100_000, "--threads must be between 0 and 100000, not " + threads);
        require(loops >= 0 && loops <= 1_024, "--loops must be between 0 and 1024, not " + loops);
        require(cluster.isEmpty() || RoomLogs.supports(cluster), "--cluster must be a broker address such as "
                + "redis://127.0.0.1:6379 that a lesson on the class path serves, not '" + cluster + "'");
        Transport chosenTransport = Transport.named(transport).orElseThrow(() -> invalid(
                "--transport must be one of " + Transport.cliNames() + ", not '" + transport + "'"));
        return new ServerOptions(host, port, (int) maxPayload, outboundLimit, frameTimeout, idleTimeout,
                maxClients, maxClientsPerAddress, maxRate, maxBurst, !noNotices, cluster, grace, quiet, Map.of())
                .with(ModelSetting.THREADS, threads)
                .with(ModelSetting.LOOPS, loops)
                .with(ModelSetting.TRANSPORT, chosenTransport);
    }

    /** A setting that the chosen model does not read is not silently dropped: the user is told, in one line. */
    private void warnAboutIgnoredSettings(ServerModel chosen, ServerOptions options) {
        Set<ModelSetting<?>> read = chosen.settings();
        for (ModelSetting<?> setting : ModelSetting.values()) {
            if (options.modelSettings().containsKey(setting) && !read.contains(setting)) {
                warn(setting.option() + " is ignored: the " + chosen.name() + " model does not read it");
            }
        }
    }

    /** The chat has no authentication: listening beyond loopback lets anyone who reaches the port in. */
    private void warnIfReachableBeyondThisMachine() {
        boolean loopback;
        try {
            loopback = InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return; // Binding will fail, and say so.
        }
        if (!loopback) {
            warn("listening on " + host + " reaches beyond this machine, and the chat has no authentication: "
                    + "anyone who can reach the port can join and read everything");
        }
    }

    private void warn(String message) {
        spec.commandLine().getErr().println("chat server: warning: " + message);
    }

    private void require(boolean condition, String message) {
        if (!condition) {
            throw invalid(message);
        }
    }

    private ParameterException invalid(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static String modelNames() {
        List<ServerModel> models = ServerModels.all();
        return models.stream().map(ServerModel::name).collect(Collectors.joining(", "));
    }
}

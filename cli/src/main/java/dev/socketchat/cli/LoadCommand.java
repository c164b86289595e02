package dev.socketchat.cli;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code chat load}: puts N clients on a running server, any model, and keeps them there until
 * Ctrl-C, printing one status line a second:
 *
 * <pre>
 * [load] connected 5,000 of 5,000  sent 100/s  received 500,000/s  p99 round trip 3.1 ms  lost 0
 * </pre>
 *
 * <p>It exists so that a learner can watch a model under load (with {@code chat server --stats} in
 * another terminal) without running the benchmarks. It is bounded on purpose: at most
 * {@value #MAX_CLIENTS} clients (one file descriptor each, under the usual per-process limit of
 * 20,000) and {@value #MAX_RATE} messages a second, to loopback unless {@code --host} says otherwise.
 */
@Command(name = "load", sortOptions = false,
        description = "Connects N clients to a running server and keeps them there until Ctrl-C, "
                + "printing a status line every second.")
final class LoadCommand implements Callable<Integer> {

    static final int MAX_CLIENTS = 19_000;
    static final int MAX_RATE = 100_000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "100",
            description = "How many clients to connect, at most " + MAX_CLIENTS + " (default: ${DEFAULT-VALUE}).")
    private int clients;

    @ArgGroup(exclusive = true)
    private Mode mode = new Mode();

    /** Idle, or chatting at a rate: one or the other. */
    static final class Mode {
        @Option(names = "--idle", description = "The clients send nothing but a keepalive a minute (the default).")
        boolean idle;

        @Option(names = "--chat", paramLabel = "RATE", defaultValue = "0",
                description = "The clients send RATE chat messages a second in all, round robin; "
                        + "every member receives each one.")
        int rate;
    }

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The server's address (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "5050",
            description = "The server's port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    private final PrintStream out;
    private final StopSignal stopSignal;

    LoadCommand(PrintStream out, StopSignal stopSignal) {
        this.out = out;
        this.stopSignal = stopSignal;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        require(clients >= 1 && clients <= MAX_CLIENTS, "--clients must be between 1 and " + MAX_CLIENTS + ", not " + clients);
        require(mode.rate >= 0 && mode.rate <= MAX_RATE, "--chat must be between 0 (idle) and " + MAX_RATE + ", not " + mode.rate);
        require(port >= 1 && port <= 65_535, "--port must be between 1 and 65535, not " + port);
        InetSocketAddress server = new InetSocketAddress(host, port);
        require(!server.isUnresolved(), "--host " + host + " does not resolve");
        out.printf(Locale.ROOT, "[load] %,d %s clients to %s:%d; Ctrl-C stops%n", clients,
                mode.rate > 0 ? "chatting" : "idle", host, port);
        ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "load status");
            thread.setDaemon(true);
            return thread;
        });
        try (LoadClients load = LoadClients.start(server, clients, mode.rate)) {
            printer.scheduleAtFixedRate(() -> out.println(line(load.snapshot())), 1, 1, TimeUnit.SECONDS);
            stopSignal.await();
        } finally {
            printer.shutdownNow();
            stopSignal.stopped(0);
        }
        return 0;
    }

    /** One status line. */
    static String line(LoadClients.Snapshot s) {
        String roundTrip = Double.isNaN(s.p99Millis()) ? "–" : String.format(Locale.ROOT, "%.1f ms", s.p99Millis());
        return String.format(Locale.ROOT, "[load] connected %,d of %,d  sent %,d/s  received %,d/s  p99 round trip %s  lost %,d%s",
                s.connected(), s.target(), s.sent(), s.received(), roundTrip, s.lost(),
                s.problem().isEmpty() ? "" : "  (" + s.problem() + ")");
    }

    private void require(boolean condition, String message) {
        if (!condition) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }
}

package dev.socketchat.cli;

import dev.socketchat.load.ClientDriver;
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
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code chat load}: puts N clients on a running server, any model, and keeps them there until
 * Ctrl-C, printing one status line a second:
 *
 * <pre>
 * [load] connected 100 of 100  connecting 0  refused 0  dropped 0  sent 200/s  back 194/s  received 19,408/s  in flight 7  p99 round trip 32.6 ms
 * </pre>
 *
 * <p>The four counts of clients add up to N; {@code --help} defines every column. When no client
 * gets in within {@value #CONNECT_SECONDS} s (or every one was refused before that) it says why in
 * one line and exits with status 1; when the server falls behind the chat, a line says so.
 *
 * <p>It exists so that a learner can watch a model under load (with {@code chat server --stats} in
 * another terminal) without running the benchmarks. It is bounded on purpose: at most
 * {@value #MAX_CLIENTS} clients (one file descriptor each, under the usual per-process limit of
 * 20,000) and {@value #MAX_RATE} messages a second, to loopback unless {@code --host} says otherwise.
 */
@Command(name = "load", sortOptions = false,
        description = "Connects N clients to a running server and keeps them there until Ctrl-C, "
                + "printing a status line every second.",
        footerHeading = "%nThe status line, every second:%n",
        footer = {
                "  connected C of N  clients the server welcomed and that are still connected, of the N asked for",
                "  connecting        clients not yet welcomed nor refused, or not yet opened",
                "  refused           clients turned away before their welcome: an error frame such as a",
                "                    full server, a reset, or no server listening; the first reason is quoted",
                "  dropped           clients welcomed and disconnected since",
                "                    (connected + connecting + refused + dropped = N)",
                "  sent              chat messages sent in the last second, by all clients together",
                "  back              the senders' own copies of their messages that came back in the last second",
                "  received          frames all clients received in the last second: each message once per member",
                "  in flight         messages sent whose own copy has not come back yet",
                "  p99 round trip    99%% of the copies back in the last second took at most this long, from",
                "                    sending to the copy's arrival; - when none came back",
                "%nWhen fewer copies came back than were sent, the messages in flight grew by more than a",
                "tenth of a second's sending, and p99 rose, a line says that the server is falling behind.",
                "When no client gets in within " + LoadCommand.CONNECT_SECONDS + " s, one line says why and the exit status is 1."})
final class LoadCommand implements Callable<Integer> {

    static final int MAX_CLIENTS = 19_000;
    static final int MAX_RATE = 100_000;
    static final int CONNECT_SECONDS = 10;

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
    public Integer call() throws IOException, InterruptedException, ExecutionException {
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
        // Ends with 0 on Ctrl-C, or with 1 when the status thread finds that no client can get in.
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("load stop").start(() -> {
            try {
                stopSignal.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exit.complete(0);
        });
        int status = 1;
        try (LoadClients load = LoadClients.start(server, clients, mode.rate)) {
            long start = System.nanoTime();
            LoadClients.Snapshot[] previous = {null};
            printer.scheduleAtFixedRate(() -> {
                try {
                    LoadClients.Snapshot now = load.snapshot();
                    out.println(line(now));
                    fallingBehind(previous[0], now).ifPresent(out::println);
                    previous[0] = now;
                    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                    cannotConnect(now, seconds).ifPresent(reason -> {
                        spec.commandLine().getErr().println("chat load: cannot connect to " + host + ":" + port + ": " + reason);
                        exit.complete(1);
                    });
                } catch (IOException e) {
                    spec.commandLine().getErr().println("chat load: " + e.getMessage());
                    exit.complete(1);
                }
            }, 1, 1, TimeUnit.SECONDS);
            status = exit.get();
            // No status line may ask the clients for a snapshot once they are closing: the line being
            // printed ends (an interrupt would cut its snapshot short and print an error), no next one starts.
            printer.shutdown();
            printer.awaitTermination(ClientDriver.STALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            printer.shutdownNow();
            stopSignal.stopped(status);
        }
        return status;
    }

    /** One status line. */
    static String line(LoadClients.Snapshot s) {
        String roundTrip = Double.isNaN(s.p99Millis()) ? "–" : String.format(Locale.ROOT, "%.1f ms", s.p99Millis());
        return String.format(Locale.ROOT, "[load] connected %,d of %,d  connecting %,d  refused %,d  dropped %,d  "
                        + "sent %,d/s  back %,d/s  received %,d/s  in flight %,d  p99 round trip %s",
                s.connections().held(), s.target(), s.connecting(), s.connections().refused(), s.connections().dropped(),
                s.sent(), s.returned(), s.received(), s.inFlight(), roundTrip)
                + (s.connections().refusal().isEmpty() ? "" : "  (first refused: " + s.connections().refusal() + ")");
    }

    /**
     * A line when the server falls behind: fewer copies came back than were sent, the backlog grew
     * by more than a tenth of a second's sending (so that the jitter of a healthy server, a few
     * messages either way, says nothing) and the p99 round trip rose, or nothing came back at all.
     */
    static Optional<String> fallingBehind(LoadClients.Snapshot previous, LoadClients.Snapshot now) {
        if (previous == null || now.sent() == 0 || now.returned() >= now.sent()
                || now.inFlight() - previous.inFlight() <= now.sent() / 10) {
            return Optional.empty();
        }
        boolean rising = Double.isNaN(now.p99Millis())
                || (!Double.isNaN(previous.p99Millis()) && now.p99Millis() > previous.p99Millis());
        if (!rising) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "[load] the server is falling behind: %,d sent, %,d back in the "
                        + "last second, %,d in flight (was %,d), p99 round trip %s",
                now.sent(), now.returned(), now.inFlight(), previous.inFlight(),
                Double.isNaN(now.p99Millis()) ? "– (none back)" : String.format(Locale.ROOT, "up from %.1f to %.1f ms",
                        previous.p99Millis(), now.p99Millis())));
    }

    /**
     * Why the load gives up: no client was ever welcomed, and either every one was refused or
     * {@value #CONNECT_SECONDS} s have passed. Empty while a client is in, or there is still time.
     */
    static Optional<String> cannotConnect(LoadClients.Snapshot now, long secondsSinceStart) {
        ClientDriver.Connections connections = now.connections();
        if (connections.welcomed() > 0) {
            return Optional.empty();
        }
        boolean allRefused = connections.refused() >= now.target();
        if (!allRefused && secondsSinceStart < CONNECT_SECONDS) {
            return Optional.empty();
        }
        String why = connections.refusal().isEmpty() ? "no welcome within " + CONNECT_SECONDS + " s" : connections.refusal();
        return Optional.of(why + " (" + connections.refused() + " of " + now.target() + " clients refused)");
    }

    private void require(boolean condition, String message) {
        if (!condition) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }
}

package dev.socketchat.cli;

import dev.socketchat.client.ChatClient;
import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerModels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code chat server} runs the chosen model until it is told to stop, then stops it gracefully. */
class ServerCommandTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("\\[server] (\\S+) listening on 127\\.0\\.0\\.1:(\\d+)\\b.*");

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void shutDownExecutor() {
        executor.shutdownNow();
    }

    static List<String> modelNames() {
        return ServerModels.all().stream().map(ServerModel::name).toList();
    }

    @ParameterizedTest
    @MethodSource("modelNames")
    void everyModelStartsWithOneLineAndStopsGracefullyWithStatusZero(String model) throws Exception {
        Terminal terminal = new Terminal();
        ManualStop stop = new ManualStop();
        Future<Integer> status = executor.submit(() -> ChatCommand
                .commandLine(InputStream.nullInputStream(), terminal.out, terminal.err, stop)
                .execute("server", "--model", model, "--port", "0", "--grace", "2s"));

        int port = await().atMost(PATIENCE).until(() -> listeningPort(terminal.outLines()), Optional::isPresent)
                .orElseThrow();
        assertThat(terminal.outLines()).singleElement().asString().startsWith("[server] " + model + " listening");
        try (ChatClient client = ChatClient.connect(new InetSocketAddress("127.0.0.1", port))) {
            assertThat(client.receive()).isEqualTo("* welcome guest-1 (1 online)");

            stop.request();

            assertThat(client.receive(PATIENCE)).isEqualTo("* server shutting down");
            assertThat(client.receive(PATIENCE)).isNull();
        }
        assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
        assertThat(stop.stopped).isCompletedWithValue(0);
        assertThat(terminal.outLines()).last().isEqualTo("[server] " + model + " stopped");
        assertThat(terminal.errLines()).isEmpty();
    }

    @Test
    void statsPrintClientsThreadsHeapAndResidentMemory() throws Exception {
        Terminal terminal = new Terminal();
        ManualStop stop = new ManualStop();
        Future<Integer> status = executor.submit(() -> ChatCommand
                .commandLine(InputStream.nullInputStream(), terminal.out, terminal.err, stop)
                .execute("server", "--model", "thread-per-client", "--port", "0", "--quiet", "--stats", "200ms"));
        int port = await().atMost(PATIENCE).until(() -> listeningPort(terminal.outLines()), Optional::isPresent)
                .orElseThrow();
        Pattern stats = Pattern.compile("\\[stats] clients (\\d+)  threads (\\d+)  heap \\d+ of \\d+ MiB  resident (\\d+ MiB|n/a)");
        try (ChatClient first = ChatClient.connect(new InetSocketAddress("127.0.0.1", port));
             ChatClient second = ChatClient.connect(new InetSocketAddress("127.0.0.1", port))) {
            first.receive();
            second.receive();
            // Two clients of thread-per-client: the count says 2, and their four threads are among the threads.
            await().atMost(PATIENCE).until(() -> terminal.outLines().stream().map(stats::matcher)
                    .anyMatch(m -> m.matches() && m.group(1).equals("2") && Integer.parseInt(m.group(2)) >= 4));
        }
        stop.request();
        assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
        assertThat(terminal.outLines()).filteredOn(line -> line.startsWith("[stats]")).allMatch(line -> stats.matcher(line).matches());
    }

    @Test
    void statsCountWhatTheServerSpentPerSecondAndPerMessage() throws Exception {
        Terminal terminal = new Terminal();
        ManualStop stop = new ManualStop();
        Future<Integer> status = executor.submit(() -> ChatCommand
                .commandLine(InputStream.nullInputStream(), terminal.out, terminal.err, stop)
                .execute("server", "--model", "nio-selector", "--port", "0", "--quiet", "--stats", "200ms"));
        int port = await().atMost(PATIENCE).until(() -> listeningPort(terminal.outLines()), Optional::isPresent)
                .orElseThrow();
        String count = "([\\d,.]+|n/a)";
        Pattern costs = Pattern.compile("\\[costs] cpu (\\d+%|n/a)  switches " + count + "/s  reads " + count + "/s  writes "
                + count + "/s  alloc " + count + " MiB/s  messages ([\\d,]+)/s  per message: (cpu " + count
                + " µs  switches " + count + "  reads " + count + "  writes " + count + "  alloc " + count + " B|– \\(no message\\))");
        try (ChatClient client = ChatClient.connect(new InetSocketAddress("127.0.0.1", port))) {
            client.receive();
            // A message at a time until a line counts some: each one is read, relayed and written back.
            await().atMost(PATIENCE).until(() -> {
                client.send("counted");
                client.receive();
                return terminal.outLines().stream().map(costs::matcher)
                        .anyMatch(m -> m.matches() && !m.group(6).equals("0") && m.group(7).startsWith("cpu "));
            });
        }
        stop.request();
        assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
        assertThat(terminal.outLines()).filteredOn(line -> line.startsWith("[costs]")).isNotEmpty()
                .allMatch(line -> costs.matcher(line).matches());
        // The first interval has nothing to compare with: the first stats line comes without costs.
        assertThat(terminal.outLines()).filteredOn(line -> line.startsWith("[stats]") || line.startsWith("[costs]"))
                .first().asString().startsWith("[stats]");
    }

    /**
     * Runs the real {@code main} in its own JVM and sends it SIGTERM, as {@code kill} or a container
     * runtime would. (SIGINT takes the same path, a shutdown hook; a test cannot send it reliably,
     * because a process started in the background inherits SIGINT as ignored.)
     */
    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "SIGTERM is a POSIX signal")
    void sigtermStopsTheServerGracefullyAndExitsWithStatusZero() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ChatCommand.class.getName(), "server", "--port", "0", "--grace", "2s")
                .redirectErrorStream(true)
                .start();
        List<String> output = new CopyOnWriteArrayList<>();
        Future<?> reading = executor.submit(() -> process.inputReader().lines().forEach(output::add));
        try {
            int port = await().atMost(PATIENCE).until(() -> listeningPort(output), Optional::isPresent).orElseThrow();
            try (ChatClient client = ChatClient.connect(new InetSocketAddress("127.0.0.1", port))) {
                assertThat(client.receive()).isEqualTo("* welcome guest-1 (1 online)");

                // SIGTERM, through the handle: Process.destroy() would also close our end of its output.
                process.toHandle().destroy();

                assertThat(client.receive(PATIENCE)).isEqualTo("* server shutting down");
                assertThat(client.receive(PATIENCE)).isNull();
            }
            assertThat(process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(process.exitValue()).isZero();
            reading.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(output).last().isEqualTo("[server] thread-per-client stopped");
        } finally {
            process.destroyForcibly();
        }
    }

    private static Optional<Integer> listeningPort(List<String> lines) {
        return lines.stream()
                .map(LISTENING::matcher)
                .filter(Matcher::matches)
                .map(matcher -> Integer.parseInt(matcher.group(2)))
                .findFirst();
    }
}

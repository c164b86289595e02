package dev.socketchat.contract;

import dev.socketchat.load.Proc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * The packaged server ({@code java -jar chat.jar server ...}) in a JVM of its own, under a lowered
 * file limit ({@code ulimit -n}) and a small heap: the only way to exhaust a server's descriptors or
 * heap without exhausting the test's own. Its console (standard output and error, merged) is kept
 * line by line for the checks to read.
 */
final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("\\[server] \\S+ listening on 127\\.0\\.0\\.1:(\\d+)\\b.*");
    private static final Duration START_PATIENCE = Duration.ofSeconds(30);

    private final Process process;
    private final List<String> console = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private final InetSocketAddress address;

    private ServerProcess(Process process) {
        this.process = process;
        this.reader = Thread.ofPlatform().name("test: server console").start(() ->
                process.inputReader().lines().forEach(console::add));
        int port = await("the server process listening").atMost(START_PATIENCE)
                .until(this::listeningPort, Optional::isPresent).orElseThrow();
        this.address = new InetSocketAddress("127.0.0.1", port);
    }

    /**
     * Starts {@code chat server --model <model> --port 0 <options>} with at most {@code openFiles}
     * descriptors and {@code heap} of heap.
     */
    static ServerProcess start(String model, int openFiles, String heap, List<String> options) throws IOException {
        Path jar = ContainerServer.CHAT_JAR;
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the packaged server is missing at " + jar.toAbsolutePath().normalize()
                    + ": build it first with ./mvnw -B package -pl cli -am");
        }
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of("bash", "-c",
                "ulimit -n " + openFiles + " && exec \"$0\" \"$@\"", java, "-Xmx" + heap,
                "-jar", jar.toString(), "server", "--model", model, "--port", "0"));
        command.addAll(options);
        return new ServerProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    InetSocketAddress address() {
        return address;
    }

    /** Every line the server has printed so far. */
    List<String> console() {
        return List.copyOf(console);
    }

    /** CPU time the process has used so far (user and system), from {@code /proc}. */
    Duration cpuTime() throws IOException {
        return Proc.cpuTime(process.pid());
    }

    /** Sends SIGTERM and waits for the process to end; returns its exit status and how long it took. */
    Exit terminate(Duration patience) throws InterruptedException {
        long start = System.nanoTime();
        process.toHandle().destroy();
        if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the server process did not end within " + patience + " of SIGTERM");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        reader.join(patience.toMillis());
        return new Exit(process.exitValue(), took);
    }

    /** How a process ended. */
    record Exit(int status, Duration took) {
    }

    /** Kills the process if it still runs, and waits until it and its console reader are gone. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Optional<Integer> listeningPort() {
        if (!process.isAlive() && console.stream().noneMatch(line -> LISTENING.matcher(line).matches())) {
            throw new AssertionError("the server process ended before it listened: " + console);
        }
        return console.stream().map(LISTENING::matcher).filter(Matcher::matches)
                .map(matcher -> Integer.parseInt(matcher.group(1))).findFirst();
    }
}

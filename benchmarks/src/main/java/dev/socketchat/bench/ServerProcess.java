package dev.socketchat.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server under test running in a child process ({@link ServerMain}), as the load generator sees
 * it: its address, its pid for {@code /proc}, and a stop that always leaves no process behind.
 *
 * <p>The child runs on the same JDK as this JVM, with the same class path and the JDK's default
 * flags (but for native access, which lesson 08 needs to run quietly), whatever the variant, on the CPUs
 * {@link CpuPinning} keeps for servers where it can. Stopping closes its standard input (a graceful stop), waits, and
 * then kills it; a shutdown hook kills any child still alive when this JVM exits, however it exits.
 */
public final class ServerProcess implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ServerProcess.class.getName());
    private static final long START_TIMEOUT_SECONDS = 60;
    private static final long STOP_TIMEOUT_SECONDS = 30;
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> LIVE.forEach(Process::destroyForcibly), "kill-benchmark-servers"));
    }

    private final Process process;
    private final InetSocketAddress address;

    private ServerProcess(Process process, InetSocketAddress address) {
        this.process = process;
        this.address = address;
    }

    /**
     * Starts {@code variant}'s server for {@code workload} at {@code clients} clients and returns once
     * it listens.
     *
     * @throws IOException if the process cannot start or does not report its port in time; nothing
     *                     is left running
     */
    static ServerProcess start(Workload workload, String variant, int clients) throws IOException {
        return start(ServerMain.class, List.of(workload.name(), variant, Integer.toString(clients)));
    }

    /**
     * Starts {@code main} (which speaks {@link ServerMain}'s protocol with its parent) with these
     * arguments, and returns once it listens; lesson 09's cluster benchmark starts its servers so.
     */
    public static ServerProcess start(Class<?> main, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>(CpuPinning.serverPrefix());
        command.add(javaCommand());
        // Lesson 08's native transports load a JNI library: without this, JDK 24+ prints a warning.
        // The same flag for every variant; the others load no native code, so it changes nothing for them.
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        LIVE.add(process);
        try {
            int port = awaitPort(process);
            return new ServerProcess(process, new InetSocketAddress("127.0.0.1", port));
        } catch (IOException | RuntimeException e) {
            kill(process);
            throw e;
        }
    }

    /** The same {@code java} that runs this JVM. */
    private static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * The port from the child's first line of output. One thread reads that line and then keeps
     * reading, so that the child never blocks on a full pipe.
     */
    private static int awaitPort(Process process) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> firstLine = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("server-stdout").start(() -> {
            try {
                firstLine.complete(out.readLine()); // null if the child exits without a word
                while (out.readLine() != null) {
                    // The server prints nothing else in benchmarks; whatever comes is not needed.
                }
            } catch (IOException e) {
                firstLine.completeExceptionally(e); // no effect once the first line came: the child is gone
            }
        });
        String line;
        try {
            line = firstLine.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IOException("the server did not start listening within " + START_TIMEOUT_SECONDS + " s");
        } catch (ExecutionException e) {
            throw new IOException("reading the server's output failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the server to start", e);
        }
        if (line == null || !line.startsWith(ServerMain.READY)) {
            throw new IOException("the server did not start: it printed " + (line == null ? "nothing" : line)
                    + " (its errors are above)");
        }
        return Integer.parseInt(line.substring(ServerMain.READY.length()).strip());
    }

    /** Where the server listens. */
    public InetSocketAddress address() {
        return address;
    }

    long pid() {
        return process.pid();
    }

    /** The server's resident memory and threads, now. */
    ProcStatus status() throws IOException {
        return ProcStatus.of(process.pid());
    }

    /** Stops the server gracefully; kills it if it has not exited in time. Idempotent. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "server did not stop within {0} s; killing it", STOP_TIMEOUT_SECONDS);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not signal the server to stop; killing it", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            kill(process);
        }
    }

    private static void kill(Process process) {
        try {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            LIVE.remove(process);
        }
    }
}

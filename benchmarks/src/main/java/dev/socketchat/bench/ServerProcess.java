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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

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
    // Marks the end of the child's output in the queue of its lines (compared by identity).
    private static final String END = new String("end of output");

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> LIVE.forEach(Process::destroyForcibly), "kill-benchmark-servers"));
    }

    private final Process process;
    private final InetSocketAddress address;
    private final BlockingQueue<String> output;

    private ServerProcess(Process process, InetSocketAddress address, BlockingQueue<String> output) {
        this.process = process;
        this.address = address;
        this.output = output;
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
            BlockingQueue<String> output = readLines(process);
            int port = awaitPort(output);
            return new ServerProcess(process, new InetSocketAddress("127.0.0.1", port), output);
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
     * The child's standard output, line by line, read on a thread of its own so that the child never
     * blocks on a full pipe; {@link #END} once it closes.
     */
    private static BlockingQueue<String> readLines(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread.ofPlatform().daemon().name("server-stdout").start(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // The child is gone.
            } finally {
                lines.add(END);
            }
        });
        return lines;
    }

    private static int awaitPort(BlockingQueue<String> output) throws IOException {
        String line = nextLine(output, START_TIMEOUT_SECONDS);
        if (line == null) {
            throw new IOException("the server did not start listening within " + START_TIMEOUT_SECONDS + " s");
        }
        if (!line.startsWith(ServerMain.READY)) {
            throw new IOException("the server did not start: it printed " + (line == END ? "nothing" : line)
                    + " (its errors are above)");
        }
        return Integer.parseInt(line.substring(ServerMain.READY.length()).strip());
    }

    /** The child's next line of output; {@code null} if none came in time. */
    private static String nextLine(BlockingQueue<String> output, long seconds) throws IOException {
        try {
            return output.poll(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the server", e);
        }
    }

    /**
     * Has the server collect its garbage, and returns once it has: what is resident afterwards is
     * what the server keeps, not what it happened to allocate since its last collection.
     */
    void collectGarbage() throws IOException {
        process.getOutputStream().write((ServerMain.COLLECT + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
        String line = nextLine(output, STOP_TIMEOUT_SECONDS);
        if (!ServerMain.COLLECTED.equals(line)) {
            throw new IOException("the server did not collect its garbage: it answered " + line);
        }
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

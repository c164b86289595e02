package dev.socketchat.bench;

import dev.socketchat.load.Proc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
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
    private static final long ANSWER_TIMEOUT_SECONDS = 10;
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> LIVE.forEach(Process::destroyForcibly), "kill-benchmark-servers"));
    }

    private final Process process;
    private final InetSocketAddress address;
    /** The child's lines after the first: its answers to {@link #allocatedBytes()}. */
    private final BlockingQueue<String> answers;

    private ServerProcess(Process process, InetSocketAddress address, BlockingQueue<String> answers) {
        this.process = process;
        this.address = address;
        this.answers = answers;
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
            BlockingQueue<String> answers = new LinkedBlockingQueue<>();
            int port = awaitPort(process, answers);
            return new ServerProcess(process, new InetSocketAddress("127.0.0.1", port), answers);
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
     * reading, so that the child never blocks on a full pipe, and hands the later lines to {@code answers}.
     */
    private static int awaitPort(Process process, BlockingQueue<String> answers) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> firstLine = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("server-stdout").start(() -> {
            try {
                firstLine.complete(out.readLine()); // null if the child exits without a word
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    answers.add(line);
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

    /**
     * The bytes the server's JVM has allocated on its heap so far, by its own count, or empty if it
     * does not answer in time or keeps no count. One question at a time: answers come in order.
     */
    synchronized OptionalLong allocatedBytes() {
        try {
            answers.clear();
            OutputStream in = process.getOutputStream();
            in.write((ServerMain.ALLOCATED_QUERY + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            String answer = answers.poll(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String prefix = ServerMain.ALLOCATED_QUERY + " ";
            if (answer == null || !answer.startsWith(prefix)) {
                return OptionalLong.empty();
            }
            long bytes = Long.parseLong(answer.substring(prefix.length()).strip());
            return bytes < 0 ? OptionalLong.empty() : OptionalLong.of(bytes);
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    /** The server's resident memory and threads, now. */
    Proc.Status status() throws IOException {
        return Proc.status(process.pid());
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

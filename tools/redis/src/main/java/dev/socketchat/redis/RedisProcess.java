package dev.socketchat.redis;

import redis.embedded.core.ExecutableProvider;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Redis server, run as a child process on loopback: the {@code redis-server} on the
 * {@code PATH} if there is one, otherwise the binary that the {@code embedded-redis} artifact
 * (Maven Central) ships for this machine. {@code ./chat redis}, {@code ./chat cluster}, the cluster
 * benchmark and every test that needs a Redis start it; nothing needs to be installed by hand.
 *
 * <p>It keeps its data in an append-only file in {@code dataDirectory}, so that a Redis stopped and
 * started again on the same directory comes back with the room; a new directory is a Redis that
 * restarted empty.
 */
public final class RedisProcess implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(20);

    private final Process process;
    private final int port;

    private RedisProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts Redis on {@code 127.0.0.1:port} and returns once it accepts connections.
     *
     * @param log where Redis writes its own log; {@link ProcessBuilder.Redirect#INHERIT} to show it
     */
    public static RedisProcess start(int port, Path dataDirectory, ProcessBuilder.Redirect log) throws IOException {
        Files.createDirectories(dataDirectory);
        Process process = new ProcessBuilder(executable(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--protected-mode", "yes", "--dir", dataDirectory.toString(),
                "--appendonly", "yes", "--save", "", "--daemonize", "no")
                .redirectErrorStream(true).redirectOutput(log).start();
        RedisProcess redis = new RedisProcess(process, port);
        redis.awaitReady();
        return redis;
    }

    /** The Redis executable: {@code redis-server} from the PATH, else the one embedded-redis ships. */
    public static String executable() throws IOException {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return ExecutableProvider.newJarResourceProvider().get().getAbsolutePath();
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** The address to give {@code --cluster}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Stops Redis as SIGTERM does (it writes its data out first), and waits for it to exit. */
    public void stop() {
        process.destroy();
        awaitExit();
    }

    /** Kills Redis at once, as {@code kill -9} does. */
    public void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** Completes with the exit status once this Redis has exited, however it ended. */
    public CompletableFuture<Integer> onExit() {
        return process.onExit().thenApply(Process::exitValue);
    }

    /** Waits until this Redis exits by itself (for example on Ctrl-C, which reaches the whole process group). */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(READY.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + READY.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with status " + process.exitValue()
                        + " (is port " + port + " in use?)");
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    close();
                    throw new IOException("redis-server did not listen on port " + port + " within " + READY);
                }
                try {
                    Thread.sleep(20); // polling a port that is about to open; nothing to wait on instead
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    close();
                    throw new IOException("interrupted while starting redis-server", e);
                }
            }
        }
    }

    /** Deletes a data directory this class wrote: the append-only files, and the directory. */
    public static void deleteData(Path dataDirectory) throws IOException {
        if (!Files.exists(dataDirectory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            for (Path file : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(file);
            }
        }
    }
}

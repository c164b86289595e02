package dev.socketchat.cli;

import dev.socketchat.redis.RedisProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code chat redis}: runs a real Redis on loopback in the foreground, for servers started with
 * {@code --cluster redis://127.0.0.1:PORT} (lesson 09), until Ctrl-C or SIGTERM.
 *
 * <p>Its data stays in one directory per port, kept between runs, so that a Redis stopped and started
 * again comes back with the room: by default under the user's data directory
 * ({@code $XDG_DATA_HOME/socket-chat}, else {@code ~/.local/share/socket-chat}), {@code --dir} to
 * choose another.
 */
@Command(name = "redis", sortOptions = false,
        description = "Runs a Redis server on 127.0.0.1 for `chat server --cluster` until Ctrl-C (SIGINT) or SIGTERM.")
final class RedisCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "6379",
            description = "The port Redis listens on (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Where Redis keeps its data between runs (default: redis-PORT under $XDG_DATA_HOME/socket-chat, "
                    + "else ~/.local/share/socket-chat).")
    private Path dir;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    private final PrintStream out;
    private final StopSignal stopSignal;

    RedisCommand(PrintStream out, StopSignal stopSignal) {
        this.out = out;
        this.stopSignal = stopSignal;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path directory = dir != null ? dir : defaultDirectory(port);
        try (RedisProcess redis = RedisProcess.start(port, directory, ProcessBuilder.Redirect.DISCARD)) {
            out.println("[redis] listening on 127.0.0.1:" + redis.port() + " (pid " + redis.pid() + "), data in "
                    + directory);
            out.println("[redis] chat server --cluster " + redis.uri());
            // Redis ending by itself (a crash, a kill) ends the command too, said rather than left unnoticed.
            AtomicBoolean stopping = new AtomicBoolean();
            Thread waiting = Thread.currentThread();
            redis.onExit().thenRun(() -> {
                if (!stopping.get()) {
                    waiting.interrupt();
                }
            });
            try {
                stopSignal.await();
            } catch (InterruptedException exited) {
                out.println("[redis] exited by itself with status " + redis.onExit().join());
                return 1;
            }
            stopping.set(true);
            redis.stop();
            out.println("[redis] stopped");
        } finally {
            stopSignal.stopped(0);
        }
        return 0;
    }

    /** One directory per port, so that two Redis on two ports never share a file. */
    static Path defaultDirectory(int port) {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("socket-chat").resolve("redis-" + port);
    }
}

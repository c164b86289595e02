package dev.socketchat.cli;

import dev.socketchat.cluster.RedisProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code chat redis}: runs a real Redis on loopback in the foreground, for servers started with
 * {@code --cluster redis://127.0.0.1:PORT} (lesson 09), until Ctrl-C or SIGTERM.
 */
@Command(name = "redis", sortOptions = false,
        description = "Runs a Redis server on 127.0.0.1 for `chat server --cluster` until Ctrl-C (SIGINT) or SIGTERM.")
final class RedisCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "6379",
            description = "The port Redis listens on (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Where Redis keeps its data, kept after it stops; by default a temporary directory, deleted.")
    private Path data;

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
        boolean temporary = data == null;
        Path directory = temporary ? Files.createTempDirectory("chat-redis-") : data;
        try (RedisProcess redis = RedisProcess.start(port, directory, ProcessBuilder.Redirect.DISCARD)) {
            out.println("[redis] listening on 127.0.0.1:" + redis.port() + " (pid " + redis.pid() + "), data in "
                    + directory);
            out.println("[redis] chat server --cluster " + redis.uri());
            try {
                stopSignal.await();
            } finally {
                redis.stop();
                out.println("[redis] stopped");
            }
        } finally {
            if (temporary) {
                RedisProcess.deleteData(directory);
            }
            stopSignal.stopped(0);
        }
        return 0;
    }
}

package dev.socketchat.cli;

import dev.socketchat.redis.RedisProcess;
import dev.socketchat.server.ServerModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code chat cluster}: a Redis and N chat servers, each a process of its own on consecutive ports,
 * serving one room (lesson 09). It prints each one's port and PID, so that a learner can connect
 * clients to different servers and {@code kill -9} one of them; Ctrl-C or SIGTERM stops them all.
 */
@Command(name = "cluster", sortOptions = false,
        description = "Runs Redis and N chat servers sharing one room, as separate processes, until Ctrl-C or SIGTERM.")
final class ClusterCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--servers", paramLabel = "N", defaultValue = "3",
            description = "How many chat servers (default: ${DEFAULT-VALUE}).")
    private int servers;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "thread-per-client",
            description = "The servers' model, as `chat models` lists them (default: ${DEFAULT-VALUE}).")
    private String model;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "5050",
            description = "The first server's port; the others take the next ones (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--redis-port", paramLabel = "PORT", defaultValue = "6379",
            description = "Redis's port (default: ${DEFAULT-VALUE}).")
    private int redisPort;

    @Option(names = "--lease", paramLabel = "DURATION", defaultValue = "10s",
            description = "How soon the others notice a server that died, as 500ms or 10s (default: ${DEFAULT-VALUE}).")
    private String lease;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    private final PrintStream out;
    private final StopSignal stopSignal;

    ClusterCommand(PrintStream out, StopSignal stopSignal) {
        this.out = out;
        this.stopSignal = stopSignal;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (servers < 1 || servers > 16) {
            throw new ParameterException(spec.commandLine(), "--servers must be between 1 and 16, not " + servers);
        }
        if (port < 1 || port + servers - 1 > 65_535) {
            throw new ParameterException(spec.commandLine(), "--port must leave room for " + servers + " ports");
        }
        if (ServerModels.named(model).isEmpty()) {
            throw new ParameterException(spec.commandLine(), "unknown model '" + model + "'");
        }
        if (!lease.matches("[0-9]+(ms|s)")) {
            throw new ParameterException(spec.commandLine(), "--lease must be like 500ms or 10s, not " + lease);
        }
        Path data = Files.createTempDirectory("chat-cluster-redis-");
        List<Process> started = new ArrayList<>();
        AtomicBoolean stopping = new AtomicBoolean();
        try (RedisProcess redis = RedisProcess.start(redisPort, data, ProcessBuilder.Redirect.DISCARD)) {
            out.println("redis     127.0.0.1:" + redis.port() + "  pid " + redis.pid());
            redis.onExit().thenAccept(status -> sayExit(stopping, "redis (pid " + redis.pid() + ")", status));
            String cluster = redis.uri() + "?lease=" + lease;
            for (int i = 0; i < servers; i++) {
                Process server = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
                        ChatCommand.class.getName(), "server", "--model", model, "--port",
                        Integer.toString(port + i), "--cluster", cluster)
                        .inheritIO().start();
                started.add(server);
                out.println("server " + (i + 1) + "  127.0.0.1:" + (port + i) + "  pid " + server.pid()
                        + "  (" + model + ")");
                String which = "server " + (i + 1) + " (pid " + server.pid() + ")";
                server.onExit().thenAccept(ended -> sayExit(stopping, which, ended.exitValue()));
            }
            out.println("Connect with ./chat client --port " + port + " (or " + (port + servers - 1)
                    + "); kill -9 a server's pid to watch the others notice; Ctrl-C stops everything.");
            try {
                stopSignal.await();
            } finally {
                stopping.set(true);
                for (Process server : started) {
                    server.destroy(); // SIGTERM: each server shuts down gracefully
                }
                for (Process server : started) {
                    server.waitFor();
                }
            }
        } finally {
            RedisProcess.deleteData(data);
            stopSignal.stopped(0);
        }
        return 0;
    }

    /** An exit the user did not ask for (a crash, a kill -9) is said; the ones Ctrl-C causes are not. */
    private void sayExit(AtomicBoolean stopping, String which, int status) {
        if (!stopping.get()) {
            out.println(which + " exited with status " + status);
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}

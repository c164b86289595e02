package dev.socketchat.cluster;

import dev.socketchat.load.Proc;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerModels;
import dev.socketchat.server.ServerOptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A chat server in a process of its own, for the tests that kill or pause one: takes the cluster
 * address and optionally a model's name (thread-per-client by default), prints its port on the first
 * line of standard output, then serves until its standard input ends or it is killed.
 */
public final class ClusterNode {

    private ClusterNode() {
    }

    public static void main(String[] args) throws IOException {
        String model = args.length > 1 ? args[1] : "thread-per-client";
        ChatServer server = ServerModels.named(model).orElseThrow().create(
                ServerOptions.defaults().withPort(0).withCluster(args[0]), ServerConsole.silent());
        server.start();
        System.out.println(server.address().getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // Serves until the test closes our standard input, or kills us.
        }
        server.stop();
    }

    /** Starts a node of {@code model} on {@code cluster}, and returns once it listens. */
    static Running start(String cluster, String model) throws IOException {
        Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), ClusterNode.class.getName(), cluster, model)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String port = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
        return new Running(process, new InetSocketAddress("127.0.0.1", Integer.parseInt(port)));
    }

    /** A node's process, killed when closed. */
    record Running(Process process, InetSocketAddress address) implements AutoCloseable {

        /**
         * {@code kill -STOP} or {@code kill -CONT}: the JVM has no way to pause a process itself. A stop
         * returns once every thread of the process is stopped: {@code kill} only sends the signal, and
         * a thread running on the other core goes on until it takes it, long enough to deliver a
         * message or two that the test counts as missed.
         */
        void signal(String name) throws IOException, InterruptedException {
            int status = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
            assertThat(status).as("kill -" + name).isZero();
            if (name.equals("STOP")) {
                await().atMost(Duration.ofSeconds(10)).until(this::everyThreadStopped);
            }
        }

        /** Whether every thread's state is T (stopped by a signal). */
        private boolean everyThreadStopped() throws IOException {
            return Proc.threadStates(process.pid()).stream().allMatch(state -> state == 'T');
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }
    }
}

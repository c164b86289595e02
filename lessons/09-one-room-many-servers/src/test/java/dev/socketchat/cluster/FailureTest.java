package dev.socketchat.cluster;

import dev.socketchat.client.ChatClient;
import dev.socketchat.nio.NioSelectorModel;
import dev.socketchat.redis.RedisProcess;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerOptions;
import dev.socketchat.threadperclient.ThreadPerClientModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static dev.socketchat.cluster.ClusterClients.WAIT;
import static dev.socketchat.cluster.ClusterClients.expect;
import static dev.socketchat.cluster.ClusterClients.freePort;
import static dev.socketchat.cluster.ClusterClients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the room does when a part of it fails: a server killed outright, Redis stopped and started
 * again with its data, and Redis started again empty. Each test runs its own Redis, since it stops it.
 */
class FailureTest {

    @TempDir
    Path data;

    @Test
    void aKilledServersMembersLeaveOnTheOthersWithinTheLease() throws Exception {
        try (RedisProcess redis = RedisProcess.start(freePort(), data.resolve("r"),
                ProcessBuilder.Redirect.DISCARD)) {
            String cluster = redis.uri() + "?lease=1s";
            try (ClusterNode.Running node = ClusterNode.start(cluster, "thread-per-client");
                 ChatServer survivor = server(new ThreadPerClientModel().create(options(cluster), ServerConsole.silent()));
                 ChatClient alice = join(survivor.address())) {
                try (ChatClient bob = join(node.address())) {
                    bob.send("!nick bob");
                    expect(bob, "* guest-2 is now bob");
                    expect(alice, "* guest-2 joined");
                    expect(alice, "* guest-2 is now bob");

                    node.process().destroyForcibly(); // kill -9: no goodbye, its lease simply stops being renewed

                    expect(alice, "* bob left (server lost)");
                    alice.send("!nick bob");
                    expect(alice, "* guest-1 is now bob");
                }
            }
        }
    }

    @Test
    void redisStoppedAndRestartedWithItsDataLosesAndRepeatsNothing() throws Exception {
        int port = freePort();
        Path dir = data.resolve("kept");
        RedisProcess redis = RedisProcess.start(port, dir, ProcessBuilder.Redirect.DISCARD);
        String cluster = redis.uri() + "?lease=1s";
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (ChatServer a = server(new ThreadPerClientModel().create(options(cluster),
                new ServerConsole(new PrintStream(console, true, StandardCharsets.UTF_8), true, "thread-per-client")));
             ChatServer b = server(new NioSelectorModel().create(options(cluster), ServerConsole.silent()));
             ChatClient alice = join(a.address());
             ChatClient bob = join(b.address())) {
            expect(alice, "* guest-2 joined");
            alice.send("before");
            expect(alice, "[guest-1] before");
            expect(bob, "[guest-1] before");

            redis.stop();
            alice.send("while Redis is away");
            expect(alice, "!error room unavailable");
            alice.send("!ping still here");
            expect(alice, "!pong still here");

            redis = RedisProcess.start(port, dir, ProcessBuilder.Redirect.DISCARD);
            assertThat(sendUntilAccepted(alice, "after")).isEqualTo("[guest-1] after");

            expect(bob, "[guest-1] after");
            bob.send("!ping end");
            expect(bob, "!pong end"); // nothing repeated, nothing missed before it

            // The quiet console said it once each way, in its own format, naming Redis.
            List<String> lines = console.toString(StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.contains(" listening on ")).toList();
            assertThat(lines).filteredOn(line -> line.startsWith("[error] lost Redis at 127.0.0.1:" + port + " "))
                    .hasSize(1);
            assertThat(lines).filteredOn(line -> line.startsWith("[server] thread-per-client reaches Redis at 127.0.0.1:"
                    + port + " again")).hasSize(1);
            assertThat(lines).allMatch(line -> line.startsWith("[error] ") || line.startsWith("[server] "));
        } finally {
            redis.close();
        }
    }

    @Test
    void redisRestartedEmptyWithNothingUndeliveredMissesNothingAndGoesOn() throws Exception {
        int port = freePort();
        RedisProcess redis = RedisProcess.start(port, data.resolve("first"), ProcessBuilder.Redirect.DISCARD);
        String cluster = redis.uri() + "?lease=1s";
        try (ChatServer a = server(new ThreadPerClientModel().create(options(cluster), ServerConsole.silent()));
             ChatServer b = server(new NioSelectorModel().create(options(cluster), ServerConsole.silent()));
             ChatClient alice = join(a.address());
             ChatClient bob = join(b.address())) {
            expect(alice, "* guest-2 joined");

            redis.stop();
            alice.send("while Redis is away"); // refused to its sender: nothing undelivered is lost
            expect(alice, "!error room unavailable");
            redis = RedisProcess.start(port, data.resolve("empty"), ProcessBuilder.Redirect.DISCARD);

            // The first frame after the outage is the message itself: no "* some messages were missed".
            assertThat(sendUntilAccepted(alice, "after")).isEqualTo("[guest-1] after");
            expect(bob, "[guest-1] after");
            bob.send("!who"); // both names came back into Redis, in whichever order the servers restored them
            assertThat(bob.receive(WAIT)).isIn("!who guest-1,guest-2", "!who guest-2,guest-1");
        } finally {
            redis.close();
        }
    }

    /**
     * Sends {@code text} until the room takes it, while Redis comes back: each attempt gets exactly
     * one frame back, a refusal or the message itself. Returns that first frame that is not a refusal.
     */
    private static String sendUntilAccepted(ChatClient client, String text) {
        AtomicReference<String> accepted = new AtomicReference<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            client.send(text);
            String frame = client.receive(WAIT);
            if (frame.equals("!error room unavailable")) {
                return false;
            }
            accepted.set(frame);
            return true;
        });
        return accepted.get();
    }

    private static ServerOptions options(String cluster) {
        return ServerOptions.defaults().withPort(0).withCluster(cluster);
    }

    private static ChatServer server(ChatServer server) throws IOException {
        server.start();
        return server;
    }
}

package dev.socketchat.cli;

import dev.socketchat.redis.RedisProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.XAddParams;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code chat server --cluster} against a Redis that is there or not, and {@code chat redis}'s data across runs. */
class RedisCommandsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path data;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void shutDownExecutor() {
        executor.shutdownNow();
    }

    @Test
    void aServerWhoseRedisIsNotThereSaysWhereItLookedAndExitsTwo() throws IOException {
        int nothingThere = freePort();
        Terminal terminal = new Terminal();

        int status = ChatCommand.commandLine(InputStream.nullInputStream(), terminal.out, terminal.err, new ManualStop())
                .execute("server", "--port", "0", "--cluster", "redis://127.0.0.1:" + nothingThere);

        assertThat(status).isEqualTo(2);
        assertThat(terminal.errLines()).singleElement().asString()
                .startsWith("chat server: cannot reach Redis at 127.0.0.1:" + nothingThere + " within 3s: ");
        assertThat(terminal.outLines()).isEmpty();
    }

    @Test
    void aClusteredServersStartLineSaysThroughWhichRedisItSharesTheRoom() throws Exception {
        try (RedisProcess redis = RedisProcess.start(freePort(), data, ProcessBuilder.Redirect.DISCARD)) {
            Terminal terminal = new Terminal();
            ManualStop stop = new ManualStop();
            Future<Integer> status = executor.submit(() -> ChatCommand
                    .commandLine(InputStream.nullInputStream(), terminal.out, terminal.err, stop)
                    .execute("server", "--port", "0", "--quiet", "--cluster", redis.uri() + "?room=lobby"));

            await().atMost(PATIENCE).until(() -> terminal.outLines().size() >= 2);
            assertThat(terminal.outLines().get(1))
                    .isEqualTo("[server] thread-per-client shares room lobby through Redis at 127.0.0.1:" + redis.port());
            stop.request();
            assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
            assertThat(terminal.errLines()).isEmpty();
        }
    }

    @Test
    void chatRedisStartedAgainOnItsDirectoryKeepsTheRoom() throws Exception {
        int port = freePort();
        Path dir = data.resolve("kept");
        runRedis(port, dir, () -> {
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                jedis.xadd("chat:stream", XAddParams.xAddParams(), Map.of("k", "SAID"));
            }
        });
        runRedis(port, dir, () -> {
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                assertThat(jedis.xrange("chat:stream", "-", "+")).singleElement()
                        .satisfies(entry -> assertThat(entry.getFields()).isEqualTo(Map.of("k", "SAID")));
            }
        });
    }

    @Test
    void chatClusterSaysWhenOneOfItsServersExitsWithoutBeingAsked() throws Exception {
        Terminal terminal = new Terminal();
        ManualStop stop = new ManualStop();
        Future<Integer> status = executor.submit(() -> ChatCommand
                .commandLine(InputStream.nullInputStream(), terminal.out, terminal.err, stop)
                .execute("cluster", "--servers", "1", "--port", Integer.toString(freePort()),
                        "--redis-port", Integer.toString(freePort())));
        String started = await().atMost(PATIENCE).until(
                () -> terminal.outLines().stream().filter(line -> line.startsWith("server 1 ")).findFirst(),
                Optional::isPresent).orElseThrow();
        long pid = Long.parseLong(started.replaceAll(".*  pid (\\d+).*", "$1"));

        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // kill -9

        await().atMost(PATIENCE).until(() -> terminal.outLines().contains(
                "server 1 (pid " + pid + ") exited with status 137"));
        stop.request();
        assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
        assertThat(terminal.outLines()).noneMatch(line -> line.startsWith("redis (pid")); // stopped when asked: not said
    }

    @Test
    void chatRedisKeepsItsDataInOneDirectoryPerPortUnderTheUsersData() {
        assertThat(RedisCommand.defaultDirectory(6390).toString()).endsWith("socket-chat/redis-6390");
    }

    /** Runs {@code chat redis --port port --dir dir}, does {@code meanwhile} while it listens, and stops it. */
    private void runRedis(int port, Path dir, Runnable meanwhile) throws Exception {
        Terminal terminal = new Terminal();
        ManualStop stop = new ManualStop();
        Future<Integer> status = executor.submit(() -> ChatCommand
                .commandLine(InputStream.nullInputStream(), terminal.out, terminal.err, stop)
                .execute("redis", "--port", Integer.toString(port), "--dir", dir.toString()));
        await().atMost(PATIENCE).until(() -> terminal.outLines().contains("[redis] chat server --cluster redis://127.0.0.1:" + port));
        assertThat(terminal.outLines().get(0)).endsWith("data in " + dir);
        meanwhile.run();
        stop.request();
        assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
        assertThat(terminal.outLines()).last().isEqualTo("[redis] stopped");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package dev.socketchat.contract;

import dev.socketchat.redis.RedisProcess;
import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerModels;
import dev.socketchat.server.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The contract's room behaviours against one room served by two servers joined through a real
 * Redis (lesson 09, docs/protocol.md §10), with each check's clients alternating between the two
 * servers ({@link TwoServersOneRoom}): what a client sees must not depend on whether the others are
 * on its server. Two models with different ways of waiting for the network are clustered: the
 * selector (one thread for every connection) and virtual threads (a blocked thread per connection,
 * each calling Redis itself).
 *
 * <p>Every check runs in a room of its own on one shared Redis ({@code room=} in the address), so
 * no test sees another's members. The behaviours that say nothing about a room across servers are
 * listed in {@link #NOT_RUN}, each reported as skipped with its reason.
 */
@DisplayName("contract on a cluster of two servers")
class ClusterContractIT {

    private static final List<String> MODELS = List.of("nio-selector", "virtual-threads");

    /** What is not run on a cluster, and why: the one list, printed by {@link SkipSummary}. */
    private static final Map<String, String> NOT_RUN = Map.of(
            "slow consumer", "an outbox is one server's: a single server shows it, the cluster adds nothing to it",
            "limits", "max clients, frame and idle timeouts are per server and per connection, not per room",
            "the model's own limit", "a pool's size is one server's, whatever the room",
            "attacks", "a flood is counted on one server's port; the cluster spreads it over two",
            "shutdown", "each server shuts down on its own; the cluster's leave of a stopped server's members "
                    + "is tested in lesson 09 (FailureTest, TwoServerClusterTest)",
            "load", "500 clients through Redis take minutes on 2 cores; total order across servers is tested by "
                    + "\"order\" here and by lesson 09's twenty clients on each of two servers",
            "console", "each server prints its own console; nothing about it is room-wide");

    @TempDir
    static Path data;
    private static RedisProcess redis;
    private static final AtomicInteger ROOMS = new AtomicInteger();

    @BeforeAll
    static void startRedis() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        redis = RedisProcess.start(port, data.resolve("redis"), ProcessBuilder.Redirect.DISCARD);
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @TestFactory
    @DisplayName("framing")
    Stream<DynamicTest> framing() {
        return everyModel(Contract.FRAMING);
    }

    @TestFactory
    @DisplayName("the room: names, commands, joins and leaves")
    Stream<DynamicTest> room() {
        return everyModel(Contract.ROOM);
    }

    @TestFactory
    @DisplayName("order")
    Stream<DynamicTest> order() {
        return everyModel(Contract.ORDER);
    }

    @TestFactory
    @DisplayName("faults")
    Stream<DynamicTest> faults() {
        return everyModel(Contract.FAULTS);
    }

    @TestFactory
    @DisplayName("not run on a cluster")
    Stream<DynamicTest> notRun() {
        return MODELS.stream().flatMap(model -> NOT_RUN.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(skip -> dynamicTest(clusterName(model) + ": " + skip.getKey(), () -> abort(skip.getValue()))));
    }

    private static Stream<DynamicTest> everyModel(List<Behaviour> behaviours) {
        return behaviours.stream().flatMap(behaviour -> MODELS.stream().map(name ->
                dynamicTest(clusterName(name) + ": " + behaviour.name(), () -> run(name, behaviour))));
    }

    private static void run(String name, Behaviour behaviour) throws Exception {
        ServerModel model = ServerModels.named(name).orElseThrow();
        ServerOptions options = behaviour.options().apply(Contract.baseOptions())
                .withCluster(redis.uri() + "?room=contract-" + ROOMS.incrementAndGet());
        try (TwoServersOneRoom cluster = TwoServersOneRoom.start(model, options)) {
            behaviour.check().run(cluster);
        } catch (Exception | AssertionError e) {
            throw new AssertionError(clusterName(name) + ": " + behaviour.name() + ": " + e.getMessage(), e);
        }
    }

    /** "{@code nio-selector x2 over Redis}": the variant as the reports group it. */
    private static String clusterName(String model) {
        return model + " x2 over Redis";
    }
}

package dev.socketchat.cluster;

import dev.socketchat.redis.RedisProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.socketchat.cluster.ClusterClients.freePort;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link RedisConnections} under many virtual threads at once, on a real Redis. */
class ConnectionPoolTest {

    /** Far more than the pool's size and than any machine's cores: most threads find the pool busy. */
    private static final int THREADS = 400;
    private static final int COMMANDS = 10;

    @TempDir
    Path data;

    /**
     * Every thread starts on a cold pool at the same moment, so that many borrow while the first
     * connections are still being opened: where Jedis's default pool spins (see
     * {@link RedisConnections}). That spin hung the contract run on virtual threads (2 cores, JDK 25);
     * it depends on scheduling, and this test alone did not hang with the default pool here, so it
     * proves that the bounded pool serves many more threads than connections, exactly once each,
     * not that the default one hangs.
     */
    @Test
    void hundredsOfVirtualThreadsAtOnceAllGetTheirCommandsDone() throws Exception {
        try (RedisProcess redis = RedisProcess.start(freePort(), data, ProcessBuilder.Redirect.DISCARD);
             RedisConnections connections = new RedisConnections(RedisAddress.parse(URI.create(redis.uri())),
                     Duration.ofSeconds(20), "pool-test");
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                done.add(threads.submit(() -> {
                    go.await();
                    for (int c = 0; c < COMMANDS; c++) {
                        connections.call(r -> r.incr("count"));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
            String count = connections.call(r -> r.get("count"));
            assertThat(count).isEqualTo(Integer.toString(THREADS * COMMANDS));
        }
    }
}

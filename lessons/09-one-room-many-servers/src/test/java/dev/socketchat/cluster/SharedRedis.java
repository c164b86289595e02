package dev.socketchat.cluster;

import dev.socketchat.redis.RedisProcess;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.socketchat.cluster.ClusterClients.freePort;

/**
 * One real Redis for a whole test class ({@code @RegisterExtension static}): started before its first
 * test and stopped after its last, with its data in a directory of its own. Each test then uses a room
 * of its own ({@code ?room=}), so that nothing one test leaves behind reaches the next.
 */
final class SharedRedis implements BeforeAllCallback, AfterAllCallback {

    private Path data;
    private RedisProcess redis;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        data = Files.createTempDirectory("lesson-09-redis-");
        redis = RedisProcess.start(freePort(), data, ProcessBuilder.Redirect.DISCARD);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        redis.close();
        RedisProcess.deleteData(data);
    }

    /** The address to give {@code --cluster}. */
    String uri() {
        return redis.uri();
    }

    int port() {
        return redis.port();
    }
}

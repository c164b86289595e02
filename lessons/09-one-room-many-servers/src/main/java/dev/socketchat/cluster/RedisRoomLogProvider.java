package dev.socketchat.cluster;

import dev.socketchat.room.RoomLog;
import dev.socketchat.room.RoomLogProvider;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ServerOptions;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Serves {@code --cluster redis://...}: a room carried by a Redis stream (lesson 09). */
public final class RedisRoomLogProvider implements RoomLogProvider {

    private static final Duration REACH_WITHIN = Duration.ofSeconds(3);
    private static final Duration REACH_RETRY = Duration.ofMillis(250);

    @Override
    public String scheme() {
        return "redis";
    }

    @Override
    public RoomLog open(URI broker, ServerOptions options, ServerConsole console) {
        return new RedisRoomLog(RedisAddress.parse(broker), console);
    }

    /** Pings Redis until it answers, for a few seconds: a Redis still starting up is given the time. */
    @Override
    public String reach(URI broker) throws IOException {
        RedisAddress address = RedisAddress.parse(broker);
        long deadline = System.nanoTime() + REACH_WITHIN.toNanos();
        while (true) {
            try (Jedis redis = new Jedis(address.hostAndPort(), address.config(REACH_RETRY.multipliedBy(4), "chat-reach"))) {
                redis.ping();
                return "shares room " + address.room() + " through " + address;
            } catch (JedisException e) {
                if (System.nanoTime() - deadline >= 0) {
                    Throwable cause = e;
                    while (cause.getCause() != null) {
                        cause = cause.getCause(); // "Connection refused" rather than Jedis's "Failed to connect"
                    }
                    throw new IOException("cannot reach " + address + " within " + REACH_WITHIN.toSeconds() + "s: "
                            + cause.getMessage());
                }
                LockSupport.parkNanos(REACH_RETRY.toNanos()); // nothing to wait on: Redis is not there yet
            }
        }
    }
}

package dev.socketchat.cluster;

import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisConnectionException;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * This server's pool of connections to Redis, for any number of threads at once, virtual threads
 * included: every member's thread calls Redis for each of its changes (lesson 05's model has one
 * virtual thread per connection).
 *
 * <p>Why not a bare {@link JedisPooled}: its pool (commons-pool2 2.12) waits for a connection that
 * another thread is still opening in a loop around {@code Object.wait(remaining)}, and with Jedis's
 * default of no time limit the remaining time is negative, so it does not wait at all: it spins.
 * Platform threads only waste CPU that way. Virtual threads spinning there hold every carrier thread
 * (one per core), so the virtual thread that is opening the connection never runs again to read
 * Redis's answer, and the server hangs. Lesson 09's contract run on virtual threads showed it.
 *
 * <p>So: at most {@value #SIZE} threads use the pool at once, and the others queue on a
 * {@link Semaphore}, where a virtual thread parks and frees its carrier; a borrower never finds the
 * pool full while a connection is being opened. The pool's own wait is bounded as well, so that it
 * would wait rather than spin should it ever find itself full.
 */
final class RedisConnections implements AutoCloseable {

    static final int SIZE = 8;

    private final JedisPooled redis;
    private final Semaphore permits = new Semaphore(SIZE, true);
    private final Duration timeout;

    /** Connections that wait at most {@code timeout} for a reply, and as long for a free connection. */
    RedisConnections(RedisAddress address, Duration timeout, String name) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(SIZE);
        pool.setMaxIdle(SIZE);
        pool.setMaxWait(timeout);
        this.redis = new JedisPooled(address.hostAndPort(), address.config(timeout, name), pool);
        this.timeout = timeout;
    }

    /**
     * Runs {@code commands} on the pool once a place is free.
     *
     * @throws JedisConnectionException if no place came free within the timeout, as if Redis were slow
     */
    <T> T call(Function<JedisPooled, T> commands) {
        try {
            if (!permits.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new JedisConnectionException("no connection to Redis came free within " + timeout.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JedisConnectionException("interrupted while waiting for a connection to Redis", e);
        }
        try {
            return commands.apply(redis);
        } finally {
            permits.release();
        }
    }

    /** Drops the idle connections: after Redis restarted, each would fail once. */
    void dropIdle() {
        redis.getPool().clear();
    }

    @Override
    public void close() {
        redis.close();
    }
}

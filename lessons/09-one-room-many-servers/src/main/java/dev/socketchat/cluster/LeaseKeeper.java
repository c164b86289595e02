package dev.socketchat.cluster;

import dev.socketchat.room.ServerConsole;
import redis.clients.jedis.exceptions.JedisException;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * This server's lease, and the end of the servers whose lease ran out. Every {@value #TICK_MILLIS} ms
 * (or every third of a shorter lease) a thread renews {@code <room>:lease:<server>} (a key that
 * expires after the lease), and looks for servers listed in {@code <room>:servers} whose lease key is
 * gone: a server that died without a word (kill -9, a lost machine). Their members leave with
 * {@code * <name> left (server lost)}, in one script that first checks once more that the lease is
 * still gone, so that two survivors never announce the same leave. Looking this often is what keeps
 * the notice within the lease and half a second of a server's last renewal, however long the lease.
 *
 * <p>A server whose own lease had run out when it renews it (it was paused, or cut off longer than
 * the lease) says so: the others may have ended its members, who are then disconnected as their
 * leaves come back through the stream.
 *
 * <p>After losing Redis it waits a whole lease before ending anyone: every server that is still
 * alive has renewed its lease by then, so a server is never declared dead only because Redis was.
 */
final class LeaseKeeper {

    private static final System.Logger LOG = System.getLogger(LeaseKeeper.class.getName());
    private static final long TICK_MILLIS = 500;

    private final RedisAddress address;
    private final String server;
    private final RedisConnections redis;
    private final RedisRoomLog log;
    private final ServerConsole console;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);

    LeaseKeeper(RedisAddress address, String server, RedisConnections redis, RedisRoomLog log, ServerConsole console) {
        this.address = address;
        this.server = server;
        this.redis = redis;
        this.log = log;
        this.console = console;
        this.thread = new Thread(this::run, "room-lease-keeper");
    }

    void start() {
        thread.start();
    }

    void stop() {
        stopped.countDown();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long lease = address.lease().toMillis();
        long tick = Math.min(TICK_MILLIS, lease / 3);
        long mayReapAt = 0;
        boolean connected = true;
        boolean renewed = false;
        try {
            do {
                try {
                    if (!renew(lease) && renewed) {
                        console.error("this server's lease on " + address + " had run out (paused, or cut off for "
                                + "longer than " + lease + " ms, or Redis lost it): members the other servers ended "
                                + "are disconnected");
                    }
                    renewed = true;
                    if (!connected) {
                        connected = true;
                        mayReapAt = System.currentTimeMillis() + lease;
                        log.retryPendingLeaves();
                    }
                    if (System.currentTimeMillis() >= mayReapAt) {
                        reapDeadServers();
                    }
                } catch (JedisException e) {
                    connected = false;
                    LOG.log(System.Logger.Level.DEBUG, "cannot renew the lease: {0}", e.getMessage());
                } catch (RuntimeException e) {
                    // Not Redis's answer as expected: said, and tried again next time, so that the lease never lapses silently.
                    LOG.log(System.Logger.Level.DEBUG, "lease keeper failed", e);
                    console.error("renewing this server's lease failed: " + e);
                }
            } while (!stopped.await(tick, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Renews the lease; false if it had run out. */
    private boolean renew(long leaseMillis) {
        Object had = redis.call(r -> r.eval(RoomScript.RENEW,
                List.of(address.key("lease:" + server), address.key("servers")), List.of(server, Long.toString(leaseMillis))));
        return Long.valueOf(1).equals(had);
    }

    private void reapDeadServers() {
        for (String other : redis.call(r -> r.smembers(address.key("servers")))) {
            if (!other.equals(server) && !redis.call(r -> r.exists(address.key("lease:" + other)))) {
                Object left = redis.call(r -> r.eval(RoomScript.LEAVE_ALL, log.leaveAllKeys(other),
                        log.leaveAllArguments(other, "server lost", true)));
                if (!Long.valueOf(0).equals(left)) {
                    console.error("server " + other + " lost its lease: its " + left + " members left the room");
                }
            }
        }
    }
}

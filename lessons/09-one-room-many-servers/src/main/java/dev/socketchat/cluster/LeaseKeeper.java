package dev.socketchat.cluster;

import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * This server's lease, and the end of the servers whose lease ran out. Every third of the lease a
 * thread renews {@code <room>:lease:<server>} (a key that expires after the lease), and looks for
 * servers listed in {@code <room>:servers} whose lease key is gone: a server that died without a word
 * (kill -9, a lost machine). Their members leave with {@code * <name> left (server lost)}, in one
 * script that first checks once more that the lease is still gone, so that two survivors never
 * announce the same leave.
 *
 * <p>After losing Redis it waits a whole lease before ending anyone: every server that is still
 * alive has renewed its lease by then, so a server is never declared dead only because Redis was.
 */
final class LeaseKeeper {

    private static final System.Logger LOG = System.getLogger(LeaseKeeper.class.getName());

    private final RedisAddress address;
    private final String server;
    private final RedisConnections redis;
    private final RedisRoomLog log;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);

    LeaseKeeper(RedisAddress address, String server, RedisConnections redis, RedisRoomLog log) {
        this.address = address;
        this.server = server;
        this.redis = redis;
        this.log = log;
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
        long mayReapAt = 0;
        boolean connected = true;
        try {
            do {
                try {
                    renew(lease);
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
                }
            } while (!stopped.await(lease / 3, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void renew(long leaseMillis) {
        redis.call(r -> {
            r.set(address.key("lease:" + server), "alive", SetParams.setParams().px(leaseMillis));
            return r.sadd(address.key("servers"), server);
        });
    }

    private void reapDeadServers() {
        for (String other : redis.call(r -> r.smembers(address.key("servers")))) {
            if (!other.equals(server) && !redis.call(r -> r.exists(address.key("lease:" + other)))) {
                Object left = redis.call(r -> r.eval(RoomScript.LEAVE_ALL, log.leaveAllKeys(other),
                        List.of(other, Long.toString(address.maxLength()), "server lost", "1")));
                LOG.log(System.Logger.Level.INFO, "server {0} lost its lease; {1} members left", other, left);
            }
        }
    }
}

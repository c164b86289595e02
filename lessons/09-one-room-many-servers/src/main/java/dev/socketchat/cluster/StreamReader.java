package dev.socketchat.cluster;

import dev.socketchat.room.RoomEvent;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamInfo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * This server's one reader of the room's stream: a thread that blocks in {@code XREAD} for entries
 * after the last one it delivered, and hands each to the room in the stream's order. The ID of that
 * last entry is its resume point: when Redis comes back after an outage, reading on from it delivers
 * every retained entry the clients have not yet received, once; if Redis no longer holds them
 * (trimmed, or restarted empty) the room is told {@code * some messages were missed}.
 */
final class StreamReader {

    private static final System.Logger LOG = System.getLogger(StreamReader.class.getName());
    private static final int BLOCK_MILLIS = 250;
    private static final Duration RETRY = Duration.ofMillis(200);

    private final RedisAddress address;
    private final String server;
    private final Consumer<RoomEvent> room;
    private final RedisRoomLog log;
    private final Thread thread;
    private final Map<Long, String> ownMembers = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progressed = lock.newCondition();
    private StreamEntryID delivered; // guarded by lock
    private volatile boolean running = true;

    StreamReader(RedisAddress address, String server, StreamEntryID from, Consumer<RoomEvent> room, RedisRoomLog log) {
        this.address = address;
        this.server = server;
        this.delivered = from;
        this.room = room;
        this.log = log;
        this.thread = new Thread(this::run, "room-stream-reader");
    }

    void start() {
        thread.start();
    }

    boolean isReaderThread() {
        return Thread.currentThread() == thread;
    }

    /** The name of this server's member as the stream last said it, or null if it is not (or no longer) in the room. */
    String ownName(long member) {
        return ownMembers.get(member);
    }

    /** Blocks until the entry {@code id} has been handed to the room, or {@code timeout} has passed. */
    void awaitDelivered(StreamEntryID id, Duration timeout) {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (delivered.compareTo(id) < 0 && nanos > 0 && running) {
                nanos = progressed.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    void stop() {
        running = false;
        try {
            thread.join(); // XREAD blocks for at most BLOCK_MILLIS
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        boolean resuming = false;
        while (running) {
            try (Jedis redis = new Jedis(address.hostAndPort(),
                    address.config(Duration.ofMillis(BLOCK_MILLIS + 2_000), "chat-reader-" + server))) {
                if (resuming) {
                    checkWhatWasKept(redis);
                    resuming = false;
                }
                readUntilStopped(redis);
            } catch (JedisException e) {
                if (!resuming) {
                    LOG.log(System.Logger.Level.WARNING, "lost Redis, resuming after {0}: {1}", position(), e.getMessage());
                }
                resuming = true;
                pause();
            }
        }
    }

    private void readUntilStopped(Jedis redis) {
        String stream = address.key("stream");
        while (running) {
            List<Map.Entry<String, List<StreamEntry>>> read = redis.xread(
                    XReadParams.xReadParams().block(BLOCK_MILLIS).count(1_000), Map.of(stream, position()));
            if (read == null) {
                continue;
            }
            for (Map.Entry<String, List<StreamEntry>> batch : read) {
                for (StreamEntry entry : batch.getValue()) {
                    room.accept(event(entry.getFields()));
                    advanceTo(entry.getID());
                }
            }
        }
    }

    /**
     * After an outage: if the stream's last ID is behind ours, Redis restarted empty (or the stream
     * was deleted); if the entry we delivered last is gone and newer ones remain, the stream was
     * trimmed past us. Either way some entries may never reach us, and the room is told so.
     */
    private void checkWhatWasKept(Jedis redis) {
        StreamEntryID from = position();
        String stream = address.key("stream");
        boolean restartedEmpty;
        boolean trimmed = false;
        try {
            StreamInfo info = redis.xinfoStream(stream);
            restartedEmpty = info.getLastGeneratedId().compareTo(from) < 0;
            trimmed = !restartedEmpty && !from.equals(new StreamEntryID())
                    && redis.xrange(stream, from, from, 1).isEmpty();
        } catch (JedisDataException noSuchStream) {
            restartedEmpty = true;
        }
        if (restartedEmpty || trimmed) {
            LOG.log(System.Logger.Level.WARNING, "Redis no longer holds the room after {0}", from);
            room.accept(RoomEvent.missed());
        }
        if (restartedEmpty) {
            advanceTo(new StreamEntryID());
        }
        log.restore(redis, Map.copyOf(ownMembers)); // a no-op unless Redis lost them
        log.retryPendingLeaves();
    }

    private RoomEvent event(Map<String, String> fields) {
        long member = server.equals(fields.get("s")) ? Long.parseLong(fields.get("m")) : 0;
        RoomEvent event = new RoomEvent(RoomEvent.Kind.valueOf(fields.get("k")), member, fields.get("n"),
                fields.get("d"), Integer.parseInt(fields.get("o")));
        if (member != 0) {
            switch (event.kind()) {
                case JOINED -> ownMembers.put(member, event.name());
                case RENAMED -> ownMembers.put(member, event.detail());
                case LEFT -> ownMembers.remove(member);
                default -> { }
            }
        }
        return event;
    }

    private StreamEntryID position() {
        lock.lock();
        try {
            return delivered;
        } finally {
            lock.unlock();
        }
    }

    private void advanceTo(StreamEntryID id) {
        lock.lock();
        try {
            delivered = id;
            progressed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void pause() {
        lock.lock();
        try {
            if (running) {
                progressed.await(RETRY.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }
}

package dev.socketchat.cluster;

import dev.socketchat.room.RoomEvent;
import dev.socketchat.room.ServerConsole;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

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
 * every retained entry the clients have not yet received, once.
 *
 * <p>What it does not deliver, it says. Every entry the room's script writes carries the room's
 * count ({@code q}); a count that jumps means entries were trimmed before this server read them, and
 * a count that goes back means Redis lost the room (restarted empty, or from an older file). The
 * room hears {@code * some messages were missed} only then, and only if entries this server had not
 * delivered are among those gone: with how many when the count tells.
 *
 * <p>What it cannot read, it skips: an entry that is not one the script writes (see {@link RoomEntry})
 * is counted and named on the console, at most one line a second, and the room goes on. A stream key
 * of another type makes the room unavailable, said once to the console and to the clients, and is
 * retried with a growing pause until it is a stream again. Should anything else go wrong, the reader
 * says so and starts over from its resume point: it never leaves a silent room.
 */
final class StreamReader {

    private static final System.Logger LOG = System.getLogger(StreamReader.class.getName());
    private static final int BLOCK_MILLIS = 250;
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration LAST_RETRY = Duration.ofSeconds(2);
    private static final long SKIP_LINE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** What keeps the reader from reading: nothing, Redis out of reach, or a key that is not a stream. */
    private enum Trouble { NONE, LOST, WRONG_TYPE }

    private final RedisAddress address;
    private final String server;
    private final Consumer<RoomEvent> room;
    private final RedisRoomLog log;
    private final ServerConsole console;
    private final Thread thread;
    private final Map<Long, String> ownMembers = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progressed = lock.newCondition();
    private StreamEntryID delivered; // guarded by lock
    private StreamEntryID appended = new StreamEntryID(); // guarded by lock: this server's last entry
    private volatile boolean running = true;
    // Only the reader's thread touches these.
    private long lastNumber;
    private Trouble trouble = Trouble.NONE;
    private long skipped;
    private long skippedUnsaid;
    private long nextSkipLineAt = System.nanoTime();

    StreamReader(RedisAddress address, String server, StreamEntry last, Consumer<RoomEvent> room,
                 RedisRoomLog log, ServerConsole console) {
        this.address = address;
        this.server = server;
        this.delivered = last == null ? new StreamEntryID() : last.getID();
        this.lastNumber = last == null ? 0 : numberOf(last);
        this.room = room;
        this.log = log;
        this.console = console;
        this.thread = new Thread(this::run, "room-stream-reader");
        // run() catches every exception; an Error (out of memory) is not caught, but is still said.
        thread.setUncaughtExceptionHandler((reader, error) -> {
            console.error("room reader died (" + error + "): this server's room is silent until it restarts");
            room.accept(RoomEvent.unavailable("this server can no longer read the room"));
        });
    }

    void start() {
        thread.start();
    }

    boolean isReaderThread() {
        return Thread.currentThread() == thread;
    }

    /** This server appended {@code id}: should Redis lose it before it is delivered, the room is told. */
    void appended(StreamEntryID id) {
        lock.lock();
        try {
            if (id.compareTo(appended) > 0) {
                appended = id;
            }
        } finally {
            lock.unlock();
        }
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
        lock.lock();
        try {
            progressed.signalAll(); // ends a pause at once
        } finally {
            lock.unlock();
        }
        try {
            thread.join(); // XREAD blocks for at most BLOCK_MILLIS, a pause for at most LAST_RETRY
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        Duration retry = FIRST_RETRY;
        while (running) {
            try (Jedis redis = new Jedis(address.hostAndPort(),
                    address.config(Duration.ofMillis(BLOCK_MILLIS + 2_000), "chat-reader-" + server))) {
                if (trouble != Trouble.NONE) {
                    resume(redis);
                    retry = FIRST_RETRY;
                }
                readUntilStopped(redis);
            } catch (JedisDataException e) {
                troubled(e.getMessage() != null && e.getMessage().startsWith("WRONGTYPE")
                        ? Trouble.WRONG_TYPE : Trouble.LOST, e);
                retry = pause(retry);
            } catch (JedisException e) {
                troubled(Trouble.LOST, e);
                retry = pause(retry);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "room reader failed", e);
                console.error("room reader failed (" + e + "); it starts over from " + position());
                troubled(Trouble.LOST, e);
                retry = pause(retry);
            }
        }
    }

    /** Says a new trouble once: the console always, the clients when the room is unavailable until fixed. */
    private void troubled(Trouble now, RuntimeException e) {
        if (now == trouble) {
            return;
        }
        if (now == Trouble.WRONG_TYPE) {
            console.error(address + " holds " + address.key("stream") + " as another type than a stream: "
                    + "the room is unavailable until it is a stream again (or is deleted)");
            room.accept(RoomEvent.unavailable(address.key("stream") + " is not a stream"));
        } else if (trouble == Trouble.NONE) {
            console.error("lost " + address + " (" + e.getMessage() + "); the room resumes after " + position()
                    + " once it is back");
        }
        trouble = now;
    }

    /** Back after a trouble: says so, finds out what Redis kept, and announces the leaves it could not. */
    private void resume(Jedis redis) {
        String counter = redis.get(address.key("count"));
        long count = counter == null ? 0 : Long.parseLong(counter);
        redis.xlen(address.key("stream")); // WRONGTYPE here keeps the room unavailable
        console.status("reaches " + address + " again; the room resumes after " + position());
        if (trouble == Trouble.WRONG_TYPE) {
            room.accept(RoomEvent.available());
        }
        trouble = Trouble.NONE;
        if (count < lastNumber) {
            lostByRedis(redis, count);
        }
        log.retryPendingLeaves();
    }

    private void readUntilStopped(Jedis redis) {
        String stream = address.key("stream");
        while (running) {
            List<Map.Entry<String, List<StreamEntry>>> read = redis.xread(
                    XReadParams.xReadParams().block(BLOCK_MILLIS).count(1_000), Map.of(stream, position()));
            if (read != null) {
                for (Map.Entry<String, List<StreamEntry>> batch : read) {
                    for (StreamEntry entry : batch.getValue()) {
                        deliver(redis, entry);
                        advanceTo(entry.getID());
                    }
                }
            }
            sayWhatWasSkipped();
        }
    }

    private void deliver(Jedis redis, StreamEntry entry) {
        RoomEntry read;
        try {
            read = RoomEntry.read(server, entry.getFields());
        } catch (IllegalArgumentException unreadable) {
            skip(entry.getID(), unreadable.getMessage());
            return;
        }
        if (read.number() > 0) {
            if (read.number() <= lastNumber) {
                lostByRedis(redis, read.number() - 1);
            } else if (lastNumber > 0 && read.number() > lastNumber + 1) {
                long missed = read.number() - lastNumber - 1;
                console.error("the stream was trimmed past this server: " + missed + " entries missed");
                room.accept(RoomEvent.missed(missed));
            }
            lastNumber = read.number();
        }
        RoomEvent event = read.event();
        if (event.member() != 0) {
            switch (event.kind()) {
                case JOINED -> ownMembers.put(event.member(), event.name());
                case RENAMED -> ownMembers.put(event.member(), event.detail());
                case LEFT -> ownMembers.remove(event.member());
                default -> { }
            }
        }
        room.accept(event);
    }

    /**
     * Redis no longer holds the room this server read: its count went back to {@code count}. Entries
     * this server had appended but not yet delivered are gone with it (how many others' were is not
     * known), and this server's members take their names back.
     */
    private void lostByRedis(Jedis redis, long count) {
        StreamEntryID from = position();
        boolean ownUndelivered;
        lock.lock();
        try {
            ownUndelivered = appended.compareTo(from) > 0;
        } finally {
            lock.unlock();
        }
        console.error(address + " no longer holds the room after " + from + " (restarted empty?); "
                + (ownUndelivered ? "entries not yet delivered are gone" : "nothing undelivered was lost"));
        if (ownUndelivered) {
            room.accept(RoomEvent.missed(0));
        }
        lastNumber = count;
        log.restore(redis, Map.copyOf(ownMembers));
    }

    private void skip(StreamEntryID id, String why) {
        skipped++;
        skippedUnsaid++;
        if (System.nanoTime() - nextSkipLineAt >= 0) {
            console.error("skipped stream entry " + id + " (" + why + "): " + skipped + " skipped so far");
            skippedUnsaid = 0;
            nextSkipLineAt = System.nanoTime() + SKIP_LINE_NANOS;
        }
    }

    /** Entries skipped during the last second's quiet are counted in one line once it is over. */
    private void sayWhatWasSkipped() {
        if (skippedUnsaid > 0 && System.nanoTime() - nextSkipLineAt >= 0) {
            console.error("skipped " + skippedUnsaid + " more stream entries: " + skipped + " skipped so far");
            skippedUnsaid = 0;
            nextSkipLineAt = System.nanoTime() + SKIP_LINE_NANOS;
        }
    }

    private static long numberOf(StreamEntry entry) {
        try {
            return RoomEntry.read("", entry.getFields()).number();
        } catch (IllegalArgumentException unreadable) {
            return 0;
        }
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

    /** Waits {@code retry} unless stopped; returns the next, longer pause. */
    private Duration pause(Duration retry) {
        lock.lock();
        try {
            long nanos = retry.toNanos();
            while (running && nanos > 0) {
                nanos = progressed.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
        Duration longer = retry.multipliedBy(2);
        return longer.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : longer;
    }
}

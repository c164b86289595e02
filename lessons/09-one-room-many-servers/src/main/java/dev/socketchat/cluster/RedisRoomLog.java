package dev.socketchat.cluster;

import dev.socketchat.room.RoomEvent;
import dev.socketchat.room.RoomLog;
import dev.socketchat.room.RoomUnavailableException;
import dev.socketchat.room.ServerConsole;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.StreamEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The room's order and names kept in Redis, so that many servers serve one room (docs/protocol.md §10).
 *
 * <pre>
 *  server A: room.receive ──► EVAL RoomScript.CHANGE ──► XADD chat:stream ◄── XREAD BLOCK ── server B's StreamReader
 *            (waits until its own StreamReader has handed the entry back)        └─► room.deliver ─► B's outboxes
 * </pre>
 *
 * <p>Every change is one atomic script that checks, updates the names and appends one entry to the
 * stream; the stream's entry IDs are the room's one order. Each server's {@link StreamReader} hands
 * every entry back to its room, its own included: nothing is delivered locally first. A member's
 * messages carry a sequence number the script remembers, so a call retried after a lost reply appends
 * nothing twice. {@link LeaseKeeper} renews this server's lease and ends the membership of servers
 * whose lease ran out.
 */
final class RedisRoomLog implements RoomLog {

    private static final System.Logger LOG = System.getLogger(RedisRoomLog.class.getName());
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(2);

    private final RedisAddress address;
    private final ServerConsole console;
    private final String server = UUID.randomUUID().toString();
    private final RedisConnections redis;
    private final List<String> keys;
    // Each member's changes reach the log one at a time, so one counter per server is enough to tell
    // a retry (same number) from a new change (a higher one) of the same member.
    private final AtomicLong sequence = new AtomicLong();
    private final Map<Long, String> pendingLeaves = new ConcurrentHashMap<>();
    private Consumer<RoomEvent> consumer;
    private volatile StreamReader reader;
    private LeaseKeeper leaseKeeper;
    private boolean closed;

    RedisRoomLog(RedisAddress address, ServerConsole console) {
        this.address = address;
        this.console = console;
        this.redis = new RedisConnections(address, REPLY_TIMEOUT, "chat-" + server);
        this.keys = List.of(address.key("stream"), address.key("names"), address.key("members"),
                address.key("guests"), address.key("sequence"), address.key("count"), address.key("bytes"));
    }

    @Override
    public void start(Consumer<RoomEvent> consumer) {
        this.consumer = consumer;
    }

    @Override
    public void join(long member) throws RoomUnavailableException {
        startOnce();
        change(member, "join", "");
    }

    @Override
    public void say(long member, String text) throws RoomUnavailableException {
        change(member, "say", text);
    }

    @Override
    public boolean rename(long member, String newName) throws RoomUnavailableException {
        return !change(member, "rename", newName).equals("taken");
    }

    @Override
    public void leave(long member, String reason) {
        try {
            change(member, "leave", reason);
        } catch (RoomUnavailableException e) {
            pendingLeaves.put(member, reason); // the lease keeper retries it once Redis is back
        }
    }

    @Override
    public List<String> names() throws RoomUnavailableException {
        try {
            return new ArrayList<>(redis.call(r -> r.hvals(address.key("members"))));
        } catch (JedisException first) {
            try {
                return new ArrayList<>(redis.call(r -> r.hvals(address.key("members"))));
            } catch (JedisException second) {
                second.addSuppressed(first);
                throw unavailable(second);
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (reader != null) {
            reader.stop();
            leaseKeeper.stop();
            try {
                redis.call(r -> r.eval(RoomScript.LEAVE_ALL, leaveAllKeys(server), leaveAllArguments(server, "", false)));
            } catch (JedisException e) {
                console.error("could not tell " + address + " that this server's members left: " + e.getMessage());
            }
        }
        redis.close();
    }

    /** Leaves announced while Redis was away, announced now. Called by the lease keeper. */
    void retryPendingLeaves() {
        for (Map.Entry<Long, String> leave : pendingLeaves.entrySet()) {
            if (pendingLeaves.remove(leave.getKey(), leave.getValue())) {
                leave(leave.getKey(), leave.getValue());
            }
        }
    }

    /**
     * After an outage: this server's members take their names back, should Redis have lost them.
     * Runs on the reader's connection, which has just proved to work: the pool may still hold
     * connections from before a restart.
     */
    void restore(Jedis connection, Map<Long, String> members) {
        redis.dropIdle(); // idle connections from before the outage would each fail once
        members.forEach((member, name) -> connection.eval(RoomScript.CHANGE, keys, arguments(member, "restore", name, 0)));
    }

    List<String> leaveAllKeys(String ofServer) {
        return List.of(address.key("stream"), address.key("names"), address.key("members"), address.key("sequence"),
                address.key("servers"), address.key("lease:" + ofServer), address.key("count"), address.key("bytes"));
    }

    /** {@code onlyIfLost}: leave the server alone should its lease be back (a survivor reaping it). */
    List<String> leaveAllArguments(String ofServer, String reason, boolean onlyIfLost) {
        return List.of(ofServer, Long.toString(address.maxLength()), reason, onlyIfLost ? "1" : "0",
                Long.toString(address.budget()));
    }

    /**
     * Runs one change, retried once on a fresh connection if the first attempt's reply was lost (the
     * sequence number makes that retry harmless), then waits until this server's reader has handed
     * the entry to the room, unless this is the reader's own thread (a slow member dropped while
     * delivering).
     *
     * <p>A member Redis does not know ({@code gone}) has been ended by another server, which took
     * this one for dead, or lost in a Redis that restarted empty. The first case's leave is in the
     * stream, and waiting for the reader to deliver it disconnects the member with the reason; in
     * the second the reader restores the names, and until then the change is refused.
     */
    private String change(long member, String op, String argument) throws RoomUnavailableException {
        StreamReader current = reader;
        List<?> reply;
        try {
            reply = scriptRetried(member, op, argument, sequence.incrementAndGet());
        } catch (JedisException e) {
            throw unavailable(e);
        }
        String status = (String) reply.get(0);
        StreamEntryID entry = new StreamEntryID((String) reply.get(1));
        if (current != null && status.equals("ok")) {
            current.appended(entry);
        }
        if (current != null && !current.isReaderThread()) {
            current.awaitDelivered(entry, REPLY_TIMEOUT);
        }
        if (status.equals("gone") && !op.equals("leave")) {
            throw new RoomUnavailableException("member " + member + " is not in Redis", null);
        }
        return status;
    }

    /** Runs the script, and once more if the reply was lost: a pooled connection may predate a Redis restart. */
    private List<?> scriptRetried(long member, String op, String argument, long seq) {
        try {
            return script(member, op, argument, seq);
        } catch (JedisException first) {
            try {
                return script(member, op, argument, seq);
            } catch (JedisException second) {
                second.addSuppressed(first);
                throw second;
            }
        }
    }

    private List<?> script(long member, String op, String argument, long seq) {
        return (List<?>) redis.call(r -> r.eval(RoomScript.CHANGE, keys, arguments(member, op, argument, seq)));
    }

    private List<String> arguments(long member, String op, String argument, long seq) {
        return List.of(server, Long.toString(member), Long.toString(address.maxLength()), op, Long.toString(seq),
                argument, Long.toString(address.budget()));
    }

    /** Starts the reader and the lease on the first join, from the stream's current end. */
    private synchronized void startOnce() throws RoomUnavailableException {
        if (reader != null || closed) {
            return;
        }
        List<StreamEntry> last;
        try {
            last = redis.call(r -> r.xrevrange(address.key("stream"), "+", "-", 1));
        } catch (JedisException e) {
            throw unavailable(e);
        }
        reader = new StreamReader(address, server, last.isEmpty() ? null : last.get(0), consumer, this, console);
        leaseKeeper = new LeaseKeeper(address, server, redis, this, console);
        reader.start();
        leaseKeeper.start();
    }

    private static RoomUnavailableException unavailable(JedisException e) {
        LOG.log(System.Logger.Level.DEBUG, "Redis unavailable", e);
        return new RoomUnavailableException("room unavailable: " + e.getMessage(), e);
    }
}

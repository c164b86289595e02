package dev.socketchat.nio;

import dev.socketchat.protocol.FrameDecoder;
import dev.socketchat.room.ChatRoom;
import dev.socketchat.room.PendingWrites;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.AcceptFailures;
import dev.socketchat.server.ServerOptions;
import dev.socketchat.server.Sockets;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static dev.socketchat.server.Deadlines.NEVER;

/**
 * The event loop: the one thread that accepts, reads, writes and keeps time for its clients.
 *
 * <p>Each turn of the loop:
 * <ol>
 *   <li>blocks in {@code select(timeout)} until a channel is ready, the nearest deadline comes, or
 *       another thread wakes it;</li>
 *   <li>handles every ready key: accepts new clients, reads and decodes what arrived (the room puts
 *       the resulting frames into outboxes at once), finishes writes that had to wait;</li>
 *   <li>runs what other threads left in its {@link LoopInbox} (see below);</li>
 *   <li>closes the connections whose deadline passed;</li>
 *   <li>writes what this turn queued, straight away: a connection registers for {@code OP_WRITE}
 *       only when its socket buffer is full.</li>
 * </ol>
 * No step ever waits for a single client, so no client can hold up another.
 *
 * <h2>One thread, no locks of its own</h2>
 * The connections, their selector and the loop's collections are touched by this thread only, so
 * none of them needs a lock. Other threads reach the loop in two ways: {@link #requestStop} sets a
 * flag and wakes the selector, and a room call made on another thread (the server's
 * {@link ChatRoom#shutdown()}, or a room shared with other servers, lesson 09) reaches a client's
 * outbox there: {@link #onLoop} brings such a callback over to this thread through the
 * {@link LoopInbox}, which wakes the selector once per batch, not once per callback.
 *
 * <p>Lesson 06 runs this class several times: loops built without a listener, to which an acceptor
 * thread hands each new channel with {@link #adopt}, and whose clients share one room, so that a
 * frame from a client on one loop reaches those on the others through the same inbox.
 *
 * <h2>Time</h2>
 * Each connection has one deadline (idle, frame, drain or linger, see {@link ChannelConnection}).
 * Rather than scanning every connection every turn, the loop keeps {@code nextSweep}, a time no later
 * than the earliest deadline: deadlines only move later as bytes arrive, and the few events that set
 * an earlier one (a new client, a frame starting) lower {@code nextSweep}. When it comes, one pass
 * closes what expired and finds the next earliest deadline. Passes are at least
 * {@value #SWEEP_INTERVAL_MILLIS} ms apart, so a deadline may fire that much late, which timeouts of
 * seconds can afford; a priority queue would be exact, at a cost on every byte that arrives.
 */
public final class SelectorLoop implements Runnable, ConnectionLoop {

    private static final System.Logger LOG = System.getLogger(SelectorLoop.class.getName());
    private static final long SWEEP_INTERVAL_MILLIS = 100;
    private static final int ACCEPTS_PER_TURN = 64;

    private final Selector selector;
    private final ServerSocketChannel listener;
    private final SelectionKey listenerKey;
    private final ChatRoom room;
    private final ServerOptions options;
    private final ServerConsole console;
    private final Semaphore connectionBudget;
    private final int framesPerWrite;
    private final FrameDecoder decoder;
    private final AcceptFailures acceptFailures;
    private final long origin = System.nanoTime();

    private final Set<ChannelConnection> connections = new HashSet<>();
    // Connections with frames queued in this turn; written at its end. Only this thread touches it.
    private final List<ChannelConnection> flushQueue = new ArrayList<>();
    // Lent to every connection for its reads: each takes out what it must keep before the next one reads.
    private final ByteBuffer scratch = ByteBuffer.allocate(ChannelConnection.SCRATCH_BUFFER);

    // Channels and outbox callbacks from other threads, run next turn.
    private final LoopInbox inbox;
    private volatile Thread loopThread;

    private volatile boolean stopRequested;
    // When the grace period ends, as a System.nanoTime() value: several loops may share it.
    private volatile long graceEndsAt;
    private boolean shuttingDown;
    private long now;
    private long nextSweep = NEVER;
    private long graceDeadline = NEVER;
    private long acceptRetryAt = NEVER;

    /**
     * A loop that accepts its clients from {@code listener}, a non-blocking channel, as lesson 04's
     * one loop does.
     *
     * @param framesPerWrite the most frames one write call takes ({@link NioSelectorServer#framesPerWrite()})
     */
    SelectorLoop(ServerSocketChannel listener, ChatRoom room, ServerOptions options, ServerConsole console,
                 int framesPerWrite) throws IOException {
        this(listener, room, options, console, new Semaphore(options.connectionBudget()), framesPerWrite);
    }

    /**
     * A loop without a listener: it serves the channels handed to it with {@link #adopt}.
     *
     * @param connectionBudget a permit per open connection, shared with whoever hands channels over:
     *                         they take one per channel, the loop gives it back when the channel closes
     */
    public SelectorLoop(ChatRoom room, ServerOptions options, ServerConsole console, Semaphore connectionBudget)
            throws IOException {
        this(null, room, options, console, connectionBudget, PendingWrites.MAX_GATHER);
    }

    private SelectorLoop(ServerSocketChannel listener, ChatRoom room, ServerOptions options, ServerConsole console,
                         Semaphore connectionBudget, int framesPerWrite) throws IOException {
        this.selector = Selector.open();
        this.listener = listener;
        try {
            this.listenerKey = listener == null ? null : listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            Sockets.closeQuietly(selector);
            throw e;
        }
        this.room = room;
        this.options = options;
        this.console = console;
        this.connectionBudget = connectionBudget;
        this.framesPerWrite = framesPerWrite;
        this.decoder = new FrameDecoder(options.maxPayload());
        this.acceptFailures = new AcceptFailures(console);
        this.inbox = new LoopInbox(selector::wakeup);
    }

    /**
     * Gives this loop a newly accepted channel for the rest of its life, with a permit of the
     * connection budget taken for it. Called from another thread: the channel is registered on the
     * loop's own, as every channel is registered, read and written by its loop's thread only.
     */
    public void adopt(SocketChannel channel) {
        inbox.execute(() -> register(channel));
    }

    /**
     * Asks the loop to let its connections drain until {@code graceEndsAt} (a {@link System#nanoTime()}
     * value) at the latest, then end; returns at once. The caller has shut the room down already
     * (docs/protocol.md §8), so every outbox has its notice and its close on the way.
     */
    public void requestStop(long graceEndsAt) {
        this.graceEndsAt = graceEndsAt;
        stopRequested = true;
        // The loop may be blocked in select() with no deadline at all: make that select return now.
        // Should the loop be busy instead, its next select() returns at once.
        selector.wakeup();
    }

    /** Closes the selector of a loop whose thread was never started (its server failed to start). */
    public void closeUnstarted() {
        Sockets.closeQuietly(selector);
    }

    @Override
    public void run() {
        loopThread = Thread.currentThread();
        try {
            serve();
        } catch (IOException | RuntimeException e) {
            console.error("event loop failed: " + e);
            LOG.log(System.Logger.Level.DEBUG, "event loop failed", e);
        } finally {
            for (ChannelConnection connection : List.copyOf(connections)) {
                connection.close();
            }
            Sockets.closeQuietly(listener);
            Sockets.closeQuietly(selector);
            // Channels handed over after a failure: register() closes them, the selector being closed.
            inbox.runAll();
        }
    }

    private void serve() throws IOException {
        now = clock();
        while (!(shuttingDown && (connections.isEmpty() || now >= graceDeadline))) {
            // Blocks until a channel is ready, the next deadline, or another thread's wakeup.
            selector.select(selectTimeoutMillis());
            now = clock();
            Set<SelectionKey> ready = selector.selectedKeys();
            for (SelectionKey key : ready) {
                handle(key);
            }
            // The selector only ever adds to this set: a key left in it would look ready next turn.
            ready.clear();
            // Read before the inbox runs: once stop is seen, every channel handed over before the
            // request (lesson 06 stops its acceptor first) is in the inbox, and this turn registers it.
            boolean stop = stopRequested;
            inbox.runAll();
            if (stop && !shuttingDown) {
                beginShutdown();
            }
            if (now >= acceptRetryAt) {
                acceptRetryAt = NEVER;
                if (listenerKey.isValid()) {
                    listenerKey.interestOps(SelectionKey.OP_ACCEPT);
                }
            }
            if (now >= nextSweep) {
                sweep();
            }
            flushQueued();
        }
    }

    private void handle(SelectionKey key) {
        // A key may have been cancelled by an earlier key's work in this same turn.
        if (!key.isValid()) {
            return;
        }
        if (key == listenerKey) {
            acceptAll();
            return;
        }
        ChannelConnection connection = (ChannelConnection) key.attachment();
        int readyOps = key.readyOps();
        try {
            if ((readyOps & SelectionKey.OP_WRITE) != 0) {
                connection.onWritable();
            }
            if ((readyOps & SelectionKey.OP_READ) != 0) {
                connection.onReadable();
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            // A bug while serving one client, or a frame of its that does not fit in the heap, must
            // not take the whole server down with it.
            console.error("closing " + connection + " after an internal error: " + e);
            LOG.log(System.Logger.Level.DEBUG, "internal error serving " + connection, e);
            connection.fail(e instanceof OutOfMemoryError ? "out of memory" : "internal error");
        }
    }

    /**
     * Accepts the clients waiting, at most {@value #ACCEPTS_PER_TURN} per turn: while clients keep
     * arriving as fast as they are accepted, accepting "until none is left" would never end the
     * turn, and the clients already in (and a request to stop) would wait for the burst to end. The
     * listener stays ready, so the next turn accepts the rest.
     */
    private void acceptAll() {
        for (int accepted = 0; accepted < ACCEPTS_PER_TURN; accepted++) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                // Typically out of file descriptors. The listener stays ready, so retrying at once
                // would spin: stop accepting for a moment instead.
                listenerKey.interestOps(0);
                acceptRetryAt = now + acceptFailures.failed(e).toNanos();
                return;
            }
            if (channel == null) {
                return; // Nobody else is waiting to be accepted.
            }
            acceptFailures.succeeded();
            if (connectionBudget.tryAcquire()) {
                register(channel);
            } else {
                // Members, leavers and refusals already hold all the server allows: not even a refusal.
                Sockets.closeQuietly(channel);
            }
        }
    }

    /** On this loop's thread: the channel, with its permit taken, joins this selector and the room. */
    private void register(SocketChannel channel) {
        if (!selector.isOpen()) {
            Sockets.closeQuietly(channel);
            connectionBudget.release();
            return;
        }
        try {
            channel.configureBlocking(false);
            // Writes are already coalesced per turn; Nagle's algorithm would only delay them.
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ChannelConnection connection = new ChannelConnection(
                    this, selector, channel, room, options, decoder, scratch, framesPerWrite);
            connections.add(connection);
            connection.join();
        } catch (IOException e) {
            // The client is already gone (reset before it could be set up): nothing to serve.
            LOG.log(System.Logger.Level.DEBUG, "could not set up an accepted connection", e);
            Sockets.closeQuietly(channel);
            connectionBudget.release();
        }
    }

    /** Stops accepting; the connections drain until every one is closed or the grace period is over. */
    private void beginShutdown() {
        shuttingDown = true;
        graceDeadline = graceEndsAt - origin;
        if (listenerKey != null) {
            listenerKey.cancel();
            Sockets.closeQuietly(listener);
        }
    }

    /** Closes the connections whose deadline passed and finds the next one. */
    private void sweep() {
        nextSweep = NEVER;
        List<ChannelConnection> expired = new ArrayList<>();
        for (ChannelConnection connection : connections) {
            long deadline = connection.deadline();
            if (deadline <= now) {
                expired.add(connection);
            } else {
                nextSweep = Math.min(nextSweep, deadline);
            }
        }
        for (ChannelConnection connection : expired) {
            connection.expire();
        }
        if (nextSweep != NEVER) {
            nextSweep = Math.max(nextSweep, now + TimeUnit.MILLISECONDS.toNanos(SWEEP_INTERVAL_MILLIS));
        }
    }

    private void flushQueued() {
        // Writing may make the room queue frames for others (a failed write means a leave, which is
        // announced), and those join the end of this list: hence the index.
        for (int i = 0; i < flushQueue.size(); i++) {
            flushQueue.get(i).flush();
        }
        flushQueue.clear();
    }

    private long selectTimeoutMillis() {
        long wakeAt = Math.min(nextSweep, Math.min(graceDeadline, acceptRetryAt));
        if (wakeAt == NEVER) {
            return 0; // select(0) waits for as long as it takes
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(wakeAt - now + 999_999);
        return Math.max(1, millis);
    }

    private long clock() {
        // Relative to the loop's start, so that times are small positive numbers and NEVER compares
        // as later than any of them.
        return System.nanoTime() - origin;
    }

    // The connections' side of the loop (ConnectionLoop): all but onLoop called on this thread.

    @Override
    public long now() {
        return now;
    }

    @Override
    public void scheduleSweep(long deadline) {
        nextSweep = Math.min(nextSweep, deadline);
    }

    /**
     * Runs {@code callback} now on the loop's thread, or else at its next turn, through the inbox: a
     * room call made on another thread (a shutdown, a room shared with other servers or, in lesson
     * 06, a client on another loop) reaches an outbox of this loop's.
     */
    @Override
    public void onLoop(Runnable callback) {
        if (Thread.currentThread() == loopThread) {
            callback.run();
        } else {
            inbox.execute(callback);
        }
    }

    @Override
    public void queueFlush(ChannelConnection connection) {
        flushQueue.add(connection);
    }

    @Override
    public void forget(ChannelConnection connection) {
        if (connections.remove(connection)) {
            connectionBudget.release();
        }
    }
}

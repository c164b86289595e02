package dev.socketchat.multireactor;

import dev.socketchat.nio.ChannelConnection;
import dev.socketchat.nio.ConnectionLoop;
import dev.socketchat.nio.LoopInbox;
import dev.socketchat.protocol.FrameDecoder;
import dev.socketchat.room.ChatRoom;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ServerOptions;
import dev.socketchat.server.Sockets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.socketchat.server.Deadlines.NEVER;

/**
 * One of the server's event loops: lesson 04's loop without the listener, on a platform thread of
 * its own, serving the connections the {@link Acceptor} handed to it.
 *
 * <p>Each turn: {@code select()}; read and write the ready channels, exactly as lesson 04
 * ({@link ChannelConnection} is lesson 04's class); run the {@link LoopInbox}; sweep deadlines; write
 * what the turn queued. What is new is the inbox. Two kinds of work arrive there from other threads:
 * <ul>
 *   <li>a channel from the acceptor, which this loop registers with its own selector: a channel is
 *       registered, read and written by one thread only, its loop's;</li>
 *   <li>an outbox's callback, when a client on another loop said something and that loop's thread,
 *       inside the room, put the frame into the outbox of a client on this loop. The callback only
 *       tells this loop to write; the frame itself is already in the outbox, in the room's order.</li>
 * </ul>
 * The inbox wakes this loop's selector at most once until the loop has run it, however many frames
 * cross over meanwhile.
 *
 * <p>Deadlines work as in lesson 04: one {@code nextSweep} per loop, over this loop's connections.
 */
final class WorkerLoop implements Runnable, ConnectionLoop {

    private static final System.Logger LOG = System.getLogger(WorkerLoop.class.getName());
    private static final long SWEEP_INTERVAL_MILLIS = 100;

    private final Selector selector;
    private final LoopInbox inbox;
    private final ChatRoom room;
    private final ServerOptions options;
    private final ServerConsole console;
    private final AtomicInteger openConnections;
    // Per loop, since each is used by its loop's thread only.
    private final FrameDecoder decoder;
    private final ByteBuffer scratch = ByteBuffer.allocate(ChannelConnection.SCRATCH_BUFFER);
    private final long origin = System.nanoTime();

    private final Set<ChannelConnection> connections = new HashSet<>();
    private final List<ChannelConnection> flushQueue = new ArrayList<>();
    // How many connections the loop holds, for tests to see the placement from another thread.
    private volatile int connectionCount;

    private volatile Thread loopThread;
    private volatile boolean stopRequested;
    // When the grace period ends, as a System.nanoTime() value shared by every loop.
    private volatile long graceEndsAt;
    private boolean shuttingDown;
    private long now;
    private long nextSweep = NEVER;
    private long graceDeadline = NEVER;

    /** @param openConnections the server's count of open connections, which the acceptor raises and loops lower */
    WorkerLoop(ChatRoom room, ServerOptions options, ServerConsole console, AtomicInteger openConnections)
            throws IOException {
        this.selector = Selector.open();
        this.inbox = new LoopInbox(selector);
        this.room = room;
        this.options = options;
        this.console = console;
        this.openConnections = openConnections;
        this.decoder = new FrameDecoder(options.maxPayload());
    }

    /** Gives this loop a newly accepted channel, for the rest of its life. From the acceptor's thread. */
    void adopt(SocketChannel channel) {
        inbox.execute(() -> register(channel));
    }

    /**
     * Asks the loop to let its connections drain until {@code graceEndsAt} (a {@link System#nanoTime()}
     * value) at the latest, then end; returns at once. The room is shut down already, so every
     * outbox has its notice and its close.
     */
    void requestStop(long graceEndsAt) {
        this.graceEndsAt = graceEndsAt;
        stopRequested = true;
        selector.wakeup();
    }

    /** Closes the selector of a loop whose thread was never started (the server failed to start). */
    void closeUnstarted() {
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
            Sockets.closeQuietly(selector);
            // Channels handed over after a failure: register() closes them, the selector being closed.
            inbox.runAll();
        }
    }

    private void serve() throws IOException {
        now = clock();
        while (!(shuttingDown && (connections.isEmpty() || now >= graceDeadline))) {
            selector.select(selectTimeoutMillis());
            now = clock();
            Set<SelectionKey> ready = selector.selectedKeys();
            for (SelectionKey key : ready) {
                handle(key);
            }
            ready.clear();
            // Read before the inbox runs: once stop is seen, every channel the acceptor handed over
            // (it was stopped first) is in the inbox, and this turn's run registers it.
            boolean stop = stopRequested;
            inbox.runAll();
            if (stop && !shuttingDown) {
                shuttingDown = true;
                graceDeadline = graceEndsAt - origin;
            }
            if (now >= nextSweep) {
                sweep();
            }
            flushQueued();
        }
    }

    /** On this loop's thread: the channel joins this selector and the room. */
    private void register(SocketChannel channel) {
        if (!selector.isOpen()) {
            Sockets.closeQuietly(channel);
            openConnections.decrementAndGet();
            return;
        }
        try {
            ChannelConnection connection = new ChannelConnection(
                    this, selector, channel, room, options, decoder, scratch);
            connections.add(connection);
            connectionCount = connections.size();
            connection.join();
        } catch (IOException e) {
            // The client is already gone (its address cannot be read): nothing to serve.
            LOG.log(System.Logger.Level.DEBUG, "could not set up an accepted connection", e);
            Sockets.closeQuietly(channel);
            openConnections.decrementAndGet();
        }
    }

    private void handle(SelectionKey key) {
        if (!key.isValid()) {
            return; // cancelled by an earlier key's work in this same turn
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
            // One client's bug, or its frame that does not fit in the heap, must not end the loop.
            console.error("closing " + connection + " after an internal error: " + e);
            LOG.log(System.Logger.Level.DEBUG, "internal error serving " + connection, e);
            connection.fail(e instanceof OutOfMemoryError ? "out of memory" : "internal error");
        }
    }

    /** Closes the connections whose deadline passed and finds the next one, as lesson 04's loop. */
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
        // A failed write means a leave, whose notice may queue more flushes here: hence the index.
        for (int i = 0; i < flushQueue.size(); i++) {
            flushQueue.get(i).flush();
        }
        flushQueue.clear();
    }

    private long selectTimeoutMillis() {
        long wakeAt = Math.min(nextSweep, graceDeadline);
        if (wakeAt == NEVER) {
            return 0; // select(0) waits for as long as it takes
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(wakeAt - now + 999_999));
    }

    private long clock() {
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
     * The room calls this, through an outbox, from whichever loop's thread handled the frame: here it
     * runs at once; from another loop it crosses over through the inbox.
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
            connectionCount = connections.size();
            openConnections.decrementAndGet();
        }
    }

    // For tests.

    /** Runs {@code task} on this loop's thread, through the inbox, as work from another loop does. */
    void execute(Runnable task) {
        inbox.execute(task);
    }

    /** How many times other threads have woken this loop's selector through its inbox. */
    long wakeups() {
        return inbox.wakeups();
    }

    /** How many connections this loop holds now. */
    int connectionCount() {
        return connectionCount;
    }
}

package dev.socketchat.asyncchannels;

import dev.socketchat.protocol.FrameDecoder;
import dev.socketchat.room.ChatRoom;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.AcceptFailures;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ModelSetting;
import dev.socketchat.server.ServerOptions;
import dev.socketchat.server.Sockets;
import dev.socketchat.server.Threads;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ShutdownChannelGroupException;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Lesson 07: the proactor. Nobody here asks whether a socket is ready. The server <em>starts</em> an
 * operation (accept, read, write) and names a {@link CompletionHandler}; the JDK performs it and calls
 * the handler, on one of the channel group's threads, once it is done.
 *
 * <pre>
 *   starts an operation                          completes it (a thread of the group)
 *   ───────────────────                          ────────────────────────────────────
 *   start()         ── accept ──────────────────► Acceptor.completed ─► AsyncConnection, joins the room
 *   Acceptor        ── accept (the next one) ───► ...
 *   AsyncConnection ── read  ───────────────────► ReadHandler.completed ─► FrameDecoder ─► room ─► outboxes
 *   ReadHandler     ── read  (the next one) ────► ...
 *   startWrites()   ── write (gathering) ───────► WriteHandler.completed ─► the rest, or the next frames
 * </pre>
 *
 * <h2>Threads</h2>
 * An explicit {@link AsynchronousChannelGroup} on a fixed pool of {@code --threads} platform threads
 * ({@link #poolSize}), never the JVM-wide default group, which would outlive the server. The same
 * threads wait for the kernel (the JDK implements the group on Linux with epoll) and run the
 * handlers. One more thread, the timer, keeps the deadlines ({@link #sweep}) and retries a failed
 * accept. {@link #stop()} shuts both down and joins every thread either of them started: a pool
 * reports itself terminated a moment before its last thread has ended.
 *
 * <h2>Starting writes outside the room's lock</h2>
 * The room calls an outbox's {@code onReady} while it holds its lock. A write started there could
 * complete at once and run its handler on this very thread, lock still held (and the room in the
 * middle of a broadcast), and every {@code write} system call would be made under the room's lock.
 * So {@code onReady} only puts the connection on {@link #readyToWrite}, and whoever called the room
 * calls {@link #startWrites()} once the room has returned: the same "write at the end of the turn"
 * as lesson 04's flush list, shared by every thread.
 */
public final class AsyncChannelsServer implements ChatServer {

    private static final System.Logger LOG = System.getLogger(AsyncChannelsServer.class.getName());
    private static final int ACCEPT_BACKLOG = 1024;
    private static final long SWEEP_INTERVAL_MILLIS = 100;

    private final ServerOptions options;
    private final ServerConsole console;
    private final ChatRoom room;
    private final FrameDecoder decoder;
    private final Connections connections = new Connections();
    private final Queue<AsyncConnection> readyToWrite = new ConcurrentLinkedQueue<>();
    private final Acceptor acceptor = new Acceptor();
    private final long origin = System.nanoTime();
    private final AcceptFailures acceptFailures;
    // Every thread the group and the timer started, for stop() to join.
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    private AsynchronousChannelGroup group;
    private AsynchronousServerSocketChannel listener;
    private ScheduledExecutorService timer;
    private volatile InetSocketAddress address;
    private boolean stopped;

    public AsyncChannelsServer(ServerOptions options, ServerConsole console) {
        this.options = options;
        this.console = console;
        this.room = new ChatRoom(options, console);
        this.decoder = new FrameDecoder(options.maxPayload());
        this.acceptFailures = new AcceptFailures(console);
    }

    /**
     * {@code --threads}, or by default one thread per available processor: handlers never block (the
     * room's lock guards only memory), so a thread per core keeps every core busy, and more threads
     * would only take turns on the same cores.
     */
    static int poolSize(ServerOptions options) {
        int threads = options.get(ModelSetting.THREADS);
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    @Override
    public synchronized void start() throws IOException {
        if (group != null) {
            throw new IllegalStateException("already started");
        }
        group = AsynchronousChannelGroup.withFixedThreadPool(poolSize(options), threads("async-channels-"));
        try {
            listener = AsynchronousServerSocketChannel.open(group);
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(new InetSocketAddress(options.host(), options.port()), ACCEPT_BACKLOG);
        } catch (IOException | RuntimeException e) {
            Sockets.closeQuietly(listener);
            group.shutdownNow();
            awaitTermination(group);
            threads.forEach(Threads::joinUninterruptibly);
            throw e;
        }
        address = (InetSocketAddress) listener.getLocalAddress();
        timer = Executors.newSingleThreadScheduledExecutor(threads("async-channels-timer-"));
        timer.scheduleWithFixedDelay(this::sweep, SWEEP_INTERVAL_MILLIS, SWEEP_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        accept();
        console.status("listening on " + Sockets.describe(address));
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    /**
     * Stops accepting, has the room tell everyone, gives the connections the grace period to write
     * out their last frames and close, closes what is left, and ends the group's and the timer's
     * threads.
     */
    @Override
    public synchronized void stop() {
        if (group == null || stopped) {
            return;
        }
        stopped = true;
        Sockets.closeQuietly(listener); // the pending accept fails with AsynchronousCloseException
        room.shutdown();
        startWrites();
        // Meanwhile the group's threads write, and the timer closes what lingers too long.
        connections.awaitEmpty(options.grace().toNanos());
        for (AsyncConnection connection : connections.all()) {
            connection.close();
        }
        timer.shutdownNow();
        awaitTermination(timer);
        // Closes any channel still open; their handlers see AsynchronousCloseException.
        try {
            group.shutdownNow();
        } catch (IOException e) {
            console.error("closing the channel group failed: " + e);
            LOG.log(System.Logger.Level.DEBUG, "closing the channel group failed", e);
        }
        awaitTermination(group);
        threads.forEach(Threads::joinUninterruptibly);
        console.status("stopped");
    }

    // ---- accepting -----------------------------------------------------------------------------

    private void accept() {
        try {
            listener.accept(null, acceptor);
        } catch (ShutdownChannelGroupException e) {
            // stop() has begun: nothing more to accept.
        }
    }

    /**
     * One accept outstanding at a time: the next one starts when this one has been handled. So the
     * handler's calls, on whichever pool or timer thread, come one after the other, each one
     * started by the one before, which is all {@link AcceptFailures} asks.
     */
    private final class Acceptor implements CompletionHandler<AsynchronousSocketChannel, Void> {

        @Override
        public void completed(AsynchronousSocketChannel channel, Void unused) {
            acceptFailures.succeeded();
            if (connections.size() >= options.connectionBudget()) {
                // Members, leavers and refusals already hold all the server allows: not even a refusal.
                Sockets.closeQuietly(channel);
                accept();
                return;
            }
            try {
                // Writes are already gathered per batch; Nagle's algorithm would only delay them.
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                AsyncConnection connection = new AsyncConnection(AsyncChannelsServer.this, channel);
                connection.join();
                connections.add(connection);
                startWrites();
                connection.startReading();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "could not set up an accepted connection", e);
                Sockets.closeQuietly(channel);
            } catch (RuntimeException | OutOfMemoryError e) {
                console.error("accepting a connection failed: " + e);
                LOG.log(System.Logger.Level.DEBUG, "accepting a connection failed", e);
                Sockets.closeQuietly(channel);
            }
            accept();
        }

        @Override
        public void failed(Throwable e, Void unused) {
            if (e instanceof AsynchronousCloseException || e instanceof ClosedChannelException) {
                return; // stop() closed the listener
            }
            // Typically out of file descriptors. The backlog still holds the client, so accepting again
            // at once would fail again at once, in a loop: try again in a moment, from the timer.
            Duration backOff = acceptFailures.failed(e instanceof IOException io ? io : new IOException(e));
            try {
                timer.schedule(AsyncChannelsServer.this::accept, backOff.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException stopping) {
                // stop() has shut the timer down: nothing more to accept.
            }
        }
    }

    // ---- writing -------------------------------------------------------------------------------

    /** A connection's outbox has frames and nothing is writing them: called with the room's lock held. */
    void writeSoon(AsyncConnection connection) {
        readyToWrite.add(connection);
    }

    /**
     * Starts the writes that room calls made due. Whoever called the room calls this after it
     * returns, often from a handler of another client, so a failure stays with its own connection.
     */
    void startWrites() {
        AsyncConnection connection;
        while ((connection = readyToWrite.poll()) != null) {
            try {
                connection.writeQueued();
            } catch (RuntimeException e) {
                connection.internalError(e);
            }
        }
    }

    // ---- time ----------------------------------------------------------------------------------

    /**
     * The timer's task, every {@value #SWEEP_INTERVAL_MILLIS} ms: closes or faults the connections
     * whose deadline passed, so a deadline fires up to that much late. One thread for all deadlines,
     * instead of a read timeout per operation, which would leave the channel unusable once it fired.
     */
    private void sweep() {
        long now = now();
        // A periodic task that throws is cancelled without a word: every connection is guarded.
        for (AsyncConnection connection : connections.all()) {
            try {
                connection.checkDeadline(now);
            } catch (RuntimeException e) {
                connection.internalError(e);
            }
        }
        startWrites();
    }

    /**
     * Runs {@code task} on the timer after {@code nanos}; false if the server is stopping, when the
     * timer takes no more tasks.
     */
    boolean later(Runnable task, long nanos) {
        try {
            timer.schedule(task, nanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** The server's clock, in nanoseconds since it was created: small positive numbers ({@code Deadlines}). */
    long now() {
        return System.nanoTime() - origin;
    }

    // ---- what connections use ------------------------------------------------------------------

    void forget(AsyncConnection connection) {
        connections.remove(connection);
    }

    ChatRoom room() {
        return room;
    }

    ServerOptions options() {
        return options;
    }

    ServerConsole console() {
        return console;
    }

    FrameDecoder decoder() {
        return decoder;
    }

    // ---- threads -------------------------------------------------------------------------------

    /**
     * Named platform threads whose uncaught exceptions are reported in one line, each thread kept
     * for {@link #stop()} to join. An exception thrown out of a completion handler ends the pool
     * thread (the JDK starts another); without this it would be a stack trace on standard error that
     * nobody connects with the client left without a read.
     */
    private ThreadFactory threads(String prefix) {
        ThreadFactory named = Thread.ofPlatform().name(prefix, 1)
                .uncaughtExceptionHandler((thread, e) -> {
                    console.error("uncaught in " + thread.getName() + ": " + e);
                    LOG.log(System.Logger.Level.DEBUG, "uncaught in " + thread.getName(), e);
                })
                .factory();
        return task -> {
            Thread thread = named.newThread(task);
            threads.add(thread);
            return thread;
        };
    }

    private static void awaitTermination(AsynchronousChannelGroup group) {
        awaitUninterruptibly(timeout -> group.awaitTermination(timeout, TimeUnit.SECONDS));
    }

    private static void awaitTermination(ExecutorService executor) {
        awaitUninterruptibly(timeout -> executor.awaitTermination(timeout, TimeUnit.SECONDS));
    }

    private interface Termination {
        boolean await(long seconds) throws InterruptedException;
    }

    /** stop() must not return while a thread of the server still runs, even if it is interrupted. */
    private static void awaitUninterruptibly(Termination termination) {
        boolean interrupted = false;
        while (true) {
            try {
                if (termination.await(Long.MAX_VALUE)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

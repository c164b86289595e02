package dev.socketchat.threadpool;

import dev.socketchat.protocol.Frame;
import dev.socketchat.protocol.FrameWriter;
import dev.socketchat.room.ChatRoom;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.AcceptFailures;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ModelSetting;
import dev.socketchat.server.ServerOptions;
import dev.socketchat.server.Sockets;
import dev.socketchat.server.Threads;
import dev.socketchat.threadperclient.Connection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Lesson 03: one acceptor thread and a fixed pool of worker threads, all doing blocking I/O. Each
 * client is lesson 02's {@link Connection}, whose reader and writer loops borrow a pool thread each
 * for the client's whole session instead of starting threads of their own, so a pool of N threads
 * serves N/2 clients at once.
 *
 * <pre>
 *   acceptor ──accept()──► slot free? ──yes──► Connection ─┬─ reader task ─► pool thread
 *                              │                          └─ writer task ─► pool thread
 *                              no
 *                              └──► "!error server full: all N threads in use", end of stream
 * </pre>
 *
 * <h2>Why a client that finds the pool busy is refused, not queued</h2>
 * A plain {@link Executors#newFixedThreadPool} queues a task that finds every thread busy. Here
 * that task is a client whose session has not begun: its TCP connection is up, so it sends, and it
 * hears nothing, not even an error, until some other client leaves, which may be never. The server
 * therefore counts free slots itself ({@code slots}, two threads each) and turns a client away at
 * once when none is free. The executor's queue only ever holds a task for the instant between a
 * task ending and its thread taking the next one.
 *
 * <p>{@code start} and {@code stop} are {@code synchronized}, as in lesson 01: lesson 02 needs a lock
 * because lesson 05 runs its server on virtual threads, and this server never does.
 */
public final class ThreadPoolServer implements ChatServer {

    /**
     * The pool size when {@link ModelSetting#THREADS} is 0: 200 threads, so 100 clients.
     *
     * <p>Cores are the wrong measure for this pool. Its threads spend their lives blocked in
     * {@code read()} or waiting for frames to write, using no CPU, so the CPU-bound rule of one
     * thread per core would serve one client on a two-core machine. What a blocked platform thread
     * costs is memory and a kernel thread, so the default is a memory budget: lesson 03's README
     * shows the measured cost of a client's two threads, and 200 threads fit comfortably in any
     * machine or container the lessons run on while serving every demo and classroom session.
     * Larger rooms are what {@code --threads} is for, and lessons 04 and 05 are for rooms of thousands.
     */
    public static final int DEFAULT_THREADS = 200;

    /** Pool threads per client: a reader task and a writer task, both blocking for the whole session. */
    public static final int THREADS_PER_CLIENT = 2;

    private static final int ACCEPT_BACKLOG = 1024;

    private final ServerOptions options;
    private final ServerConsole console;
    private final ChatRoom room;
    private final int poolSize;
    private final Semaphore slots;
    private final String refusal;
    private final Frame refusalFrame;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Set<Socket> refused = ConcurrentHashMap.newKeySet();
    private final AcceptFailures acceptFailures;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    private volatile ServerSocket serverSocket;
    private ThreadPoolExecutor pool;
    private ScheduledThreadPoolExecutor closer;
    private Thread acceptor;
    private boolean stopped;

    /**
     * @throws IllegalArgumentException if {@link ModelSetting#THREADS} is 1 or odd: every client
     *                                  needs two threads, and a thread that can serve no one is a mistake
     */
    public ThreadPoolServer(ServerOptions options, ServerConsole console) {
        int size = poolSize(options);
        if (clientsServed(size) == 0) {
            throw new IllegalArgumentException("the thread pool needs an even number of threads, at least 2 "
                    + "(each client holds a reader and a writer thread): " + size);
        }
        this.options = options;
        this.console = console;
        this.room = new ChatRoom(options, console);
        this.poolSize = size;
        this.slots = new Semaphore(clientsServed(size));
        this.refusal = "server full: all " + size + " threads in use";
        this.refusalFrame = Frame.of("!error " + refusal);
        this.acceptFailures = new AcceptFailures(console);
    }

    /** The pool size these options ask for: {@link ModelSetting#THREADS}, or the default for 0. */
    static int poolSize(ServerOptions options) {
        int threads = options.get(ModelSetting.THREADS);
        return threads == 0 ? DEFAULT_THREADS : threads;
    }

    /** How many clients a pool of this size serves at once: none if the server would refuse the size. */
    static int clientsServed(int poolSize) {
        return poolSize % THREADS_PER_CLIENT == 0 ? poolSize / THREADS_PER_CLIENT : 0;
    }

    @Override
    public synchronized void start() throws IOException {
        if (serverSocket != null) {
            throw new IllegalStateException("already started");
        }
        ServerSocket socket = Sockets.listen(options.host(), options.port(), ACCEPT_BACKLOG);
        pool = new ThreadPoolExecutor(poolSize, poolSize, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                recorded(Thread.ofPlatform().name("worker-", 1).factory()));
        try {
            // Every thread exists from the start: the pool's memory is spent whether clients come or not.
            pool.prestartAllCoreThreads();
        } catch (OutOfMemoryError e) {
            // "unable to create native thread": this machine cannot hold a pool of this size.
            pool.shutdownNow();
            socket.close();
            throw new IOException("cannot start a pool of " + poolSize + " threads: " + e.getMessage(), e);
        }
        serverSocket = socket;
        closer = new ScheduledThreadPoolExecutor(1, recorded(Thread.ofPlatform().name("closer").factory()));
        closer.prestartAllCoreThreads();
        acceptor = recorded(Thread.ofPlatform().name("acceptor").factory()).newThread(this::acceptLoop);
        acceptor.start();
        console.status("listening on " + Sockets.describe(address()) + " with " + poolSize
                + " threads: " + clientsServed(poolSize) + " clients at once");
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) serverSocket.getLocalSocketAddress();
    }

    private void acceptLoop() {
        Socket socket;
        // Blocks until a client connects; null once stop() has closed the server socket.
        while ((socket = acceptFailures.accept(serverSocket)) != null) {
            if (connections.size() + refused.size() >= options.connectionBudget()) {
                // Members, leavers and refusals already hold all the server allows: not even a refusal.
                Sockets.closeQuietly(socket);
                continue;
            }
            if (!slots.tryAcquire()) {
                refuse(socket);
                continue;
            }
            Connection connection = new Connection(socket, room, options);
            connections.add(connection);
            connection.start(lending(pool), () -> {
                connections.remove(connection);
                slots.release();
            });
        }
    }

    /**
     * Lends each of a connection's loops a pool thread for as long as the loop runs: the thread
     * takes the loop's name, so that a thread dump shows which client holds which pool thread, and
     * goes back to the pool under its own. The loop's end is its task's, since the thread lives on.
     */
    static Connection.Runner lending(ExecutorService pool) {
        return (name, loop) -> {
            CountDownLatch ended = new CountDownLatch(1);
            pool.execute(() -> {
                Thread thread = Thread.currentThread();
                String poolName = thread.getName();
                thread.setName(name);
                try {
                    loop.run();
                } finally {
                    thread.setName(poolName);
                    ended.countDown();
                }
            });
            return deadline -> Threads.awaitUninterruptibly(ended, deadline);
        };
    }

    /**
     * Tells a client that no thread is free, without taking one from the pool: the acceptor writes
     * the refusal (a few dozen bytes into the empty send buffer of a new connection, so the write
     * does not block) and ends the stream. The socket is closed a moment later by the closer thread:
     * closing at once, while the client's first frames are still unread, would send a reset that
     * can destroy the refusal on its way.
     */
    private void refuse(Socket socket) {
        console.refused(Sockets.describe(socket.getRemoteSocketAddress()), refusal);
        refused.add(socket);
        try {
            FrameWriter.of(socket).send(refusalFrame);
            socket.shutdownOutput();
        } catch (IOException e) {
            // The client is already gone: nothing to tell it.
            Sockets.closeQuietly(socket);
        }
        closer.schedule(() -> {
            refused.remove(socket);
            Sockets.closeQuietly(socket);
        }, Sockets.LINGER.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (serverSocket == null || stopped) {
            return;
        }
        stopped = true;
        // The grace period counts from the request to stop, whatever the server is busy with.
        long deadline = System.nanoTime() + options.grace().toNanos();
        // No new connections: accept() fails and the acceptor ends.
        Sockets.closeQuietly(serverSocket);
        // Everyone gets the notice; each writer task drains its outbox and closes its socket. Before
        // the acceptor is joined, as in lesson 02: the grace period is all the writers'.
        room.shutdown();
        Threads.joinUninterruptibly(acceptor);
        // Whoever has not drained within the grace period is cut off; that ends its tasks.
        Connection.endAll(connections, deadline);
        // Every task has ended: the idle workers and the closer end as soon as they are told to.
        pool.shutdown();
        closer.shutdownNow();
        refused.forEach(Sockets::closeQuietly);
        threads.forEach(Threads::joinUninterruptibly);
        console.status("stopped");
    }

    /** A factory that remembers every thread it makes, so that {@link #stop()} can join them all. */
    private ThreadFactory recorded(ThreadFactory factory) {
        return task -> {
            Thread thread = factory.newThread(task);
            threads.add(thread);
            return thread;
        };
    }

}

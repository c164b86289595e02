package dev.socketchat.threadpool;

import dev.socketchat.room.ChatRoom;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.AcceptFailures;
import dev.socketchat.server.ChatServer;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * <b>Broken on purpose.</b> The pool a first attempt at lesson 03 writes: {@link ThreadPoolServer}
 * without its free-slot count, handing every client to {@link Executors#newFixedThreadPool}.
 *
 * <pre>
 *   acceptor ──accept()──► Connection ─┬─ reader task ─► a free pool thread, or the executor's queue
 *                                      └─ writer task ─► a free pool thread, or the executor's queue
 * </pre>
 *
 * <p>Each client holds two pool threads for its whole session, so a pool of N threads serves N/2
 * clients. The next client's TCP connection is completed by the kernel, so it sends; but its tasks
 * wait in the executor's unbounded queue, and until some client leaves it hears nothing, not even
 * an error. The contract suite shows it: "a client beyond the model's own limit gets !error server
 * full at once" fails here and passes on {@link ThreadPoolServer}, which counts its free slots and
 * refuses that client at once.
 *
 * <p>Everything else is as in {@link ThreadPoolServer}, the limits included (the connection budget,
 * the back-off when accepting fails, the linger's deadline), so that the one hazard is all it shows.
 *
 * <p>Try it: {@code ./chat server --model naive-pool --threads 4}, then three {@code ./chat client}s.
 */
public final class NaivePoolServer implements ChatServer {

    private static final int ACCEPT_BACKLOG = 1024;

    private final ServerOptions options;
    private final ServerConsole console;
    private final ChatRoom room;
    private final int poolSize;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final List<Thread> workers = new CopyOnWriteArrayList<>();
    private final AcceptFailures acceptFailures;

    private volatile ServerSocket serverSocket;
    private ExecutorService pool;
    private Thread acceptor;
    private boolean stopped;

    /**
     * @throws IllegalArgumentException if {@link ModelSetting#THREADS} is 1 or odd, as for {@link ThreadPoolServer}
     */
    public NaivePoolServer(ServerOptions options, ServerConsole console) {
        int size = ThreadPoolServer.poolSize(options);
        if (ThreadPoolServer.clientsServed(size) == 0) {
            throw new IllegalArgumentException("the thread pool needs an even number of threads, at least 2 "
                    + "(each client holds a reader and a writer thread): " + size);
        }
        this.options = options;
        this.console = console;
        this.room = new ChatRoom(options, console);
        this.poolSize = size;
        this.acceptFailures = new AcceptFailures(console);
    }

    @Override
    public synchronized void start() throws IOException {
        if (serverSocket != null) {
            throw new IllegalStateException("already started");
        }
        serverSocket = Sockets.listen(options.host(), options.port(), ACCEPT_BACKLOG);
        ThreadFactory named = Thread.ofPlatform().name("worker-", 1).factory();
        pool = Executors.newFixedThreadPool(poolSize, task -> {
            Thread worker = named.newThread(task);
            workers.add(worker);
            return worker;
        });
        acceptor = Thread.ofPlatform().name("acceptor").start(this::acceptLoop);
        console.status("listening on " + Sockets.describe(address()) + " with " + poolSize + " threads");
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) serverSocket.getLocalSocketAddress();
    }

    private void acceptLoop() {
        Socket socket;
        while ((socket = acceptFailures.accept(serverSocket)) != null) {
            if (connections.size() >= options.connectionBudget()) {
                // Members, leavers and queued clients already hold all the server allows.
                Sockets.closeQuietly(socket);
                continue;
            }
            // The hazard: no free thread is counted. When all are busy, both loops join the queue,
            // and the client waits there, connected and unanswered.
            Connection connection = new Connection(socket, room, options);
            connections.add(connection);
            connection.start(ThreadPoolServer.lending(pool), () -> connections.remove(connection));
        }
    }

    @Override
    public synchronized void stop() {
        if (serverSocket == null || stopped) {
            return;
        }
        stopped = true;
        // The grace period counts from the request to stop, as in ThreadPoolServer.
        long deadline = System.nanoTime() + options.grace().toNanos();
        Sockets.closeQuietly(serverSocket);
        room.shutdown();
        Threads.joinUninterruptibly(acceptor);
        for (Connection connection : connections) {
            connection.awaitEnd(deadline);
        }
        // The loops of clients still queued never start: dropped before any running loop ends and
        // frees its thread for them, which under load was hundreds of tasks run only to find their
        // socket closed. Running loops end on their closed sockets. So no Connection.endAll here:
        // it would wait for ever for the end of a loop that never ran.
        pool.shutdownNow();
        for (Connection connection : connections) {
            connection.abort();
        }
        // The pool counts a worker gone a moment before its thread ends: join the threads themselves.
        workers.forEach(Threads::joinUninterruptibly);
        console.status("stopped");
    }
}

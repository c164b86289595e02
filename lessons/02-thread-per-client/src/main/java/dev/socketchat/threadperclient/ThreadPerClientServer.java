package dev.socketchat.threadperclient;

import dev.socketchat.room.ChatRoom;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.AcceptFailures;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerOptions;
import dev.socketchat.server.Sockets;
import dev.socketchat.server.Threads;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lesson 02: one acceptor thread, and for every client a reader thread and a writer thread, all
 * doing blocking I/O.
 *
 * <pre>
 *   acceptor ──accept()──► Connection ─┬─ reader: read() ─► room ─► every member's outbox
 *                                      └─ writer: outbox.take() ─► write()
 * </pre>
 *
 * <p>The threads come from a {@link Thread.Builder}: platform threads here. Lesson 05 runs this same
 * class with virtual threads, which is the whole of its difference.
 */
public final class ThreadPerClientServer implements ChatServer {

    private static final int ACCEPT_BACKLOG = 1024;

    private final ServerOptions options;
    private final ServerConsole console;
    private final ChatRoom room;
    private final Thread.Builder threads;
    // Every connection the server holds, in the room or leaving: counted against the connection budget.
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AcceptFailures acceptFailures;
    // Makes start and stop one at a time. A lock, not synchronized: stop waits for threads while it
    // holds it, and before JDK 24 a virtual thread that waits inside synchronized pins its carrier.
    private final ReentrantLock lifecycle = new ReentrantLock();

    private volatile ServerSocket serverSocket;
    private Thread acceptor;
    private boolean stopped;

    public ThreadPerClientServer(ServerOptions options, ServerConsole console) {
        this(options, console, Thread.ofPlatform());
    }

    /**
     * @param threads builds every thread the server starts: the acceptor and each connection's
     *                reader and writer. It is only used by the thread that starts the server and by
     *                the acceptor, never concurrently.
     */
    public ThreadPerClientServer(ServerOptions options, ServerConsole console, Thread.Builder threads) {
        this.options = options;
        this.console = console;
        this.room = new ChatRoom(options, console);
        this.threads = threads;
        this.acceptFailures = new AcceptFailures(console);
    }

    @Override
    public void start() throws IOException {
        lifecycle.lock();
        try {
            startLocked();
        } finally {
            lifecycle.unlock();
        }
    }

    private void startLocked() throws IOException {
        if (serverSocket != null) {
            throw new IllegalStateException("already started");
        }
        ServerSocket socket = Sockets.listen(options.host(), options.port(), ACCEPT_BACKLOG);
        serverSocket = socket;
        acceptor = threads.name("acceptor").start(this::acceptLoop);
        console.status("listening on " + Sockets.describe(address()));
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) serverSocket.getLocalSocketAddress();
    }

    private void acceptLoop() {
        Socket socket;
        // Blocks until a client connects; null once stop() has closed the server socket.
        while ((socket = acceptFailures.accept(serverSocket)) != null) {
            if (connections.size() >= options.connectionBudget()) {
                // Members, leavers and refusals already hold all the server allows: no thread for this one.
                Sockets.closeQuietly(socket);
                continue;
            }
            Connection connection = new Connection(socket, room, options);
            connections.add(connection);
            try {
                connection.start(this::startThread, () -> connections.remove(connection));
            } catch (OutOfMemoryError e) {
                // "unable to create native thread": the limit of this model, met at a few thousand clients.
                console.error("cannot start threads for another client: " + e.getMessage());
                connection.abort();
                connections.remove(connection);
            }
        }
    }

    /** A thread of its own for each of a connection's loops, which ends with the loop. */
    private Connection.End startThread(String name, Runnable loop) {
        Thread thread = threads.name(name).start(loop);
        return deadline -> Threads.joinUninterruptibly(thread, deadline);
    }

    @Override
    public void stop() {
        lifecycle.lock();
        try {
            stopLocked();
        } finally {
            lifecycle.unlock();
        }
    }

    private void stopLocked() {
        if (serverSocket == null || stopped) {
            return;
        }
        stopped = true;
        // The grace period counts from the request to stop, whatever the server is busy with.
        long deadline = System.nanoTime() + options.grace().toNanos();
        // No new connections: accept() fails and the acceptor ends.
        Sockets.closeQuietly(serverSocket);
        // Everyone gets the notice; each writer drains its outbox and closes its socket. Before the
        // acceptor is joined, so that the grace period is all the writers' (a client the acceptor
        // still hands over is refused by the closing room).
        room.shutdown();
        Threads.joinUninterruptibly(acceptor);
        // Whoever has not drained within the grace period is cut off; that ends its threads.
        Connection.endAll(connections, deadline);
        console.status("stopped");
    }

}

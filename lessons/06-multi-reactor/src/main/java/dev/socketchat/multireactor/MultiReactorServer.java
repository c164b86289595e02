package dev.socketchat.multireactor;

import dev.socketchat.nio.SelectorLoop;
import dev.socketchat.room.ChatRoom;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerOptions;
import dev.socketchat.server.Sockets;
import dev.socketchat.server.Threads;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * Lesson 06: lesson 04's event loop, N times. An {@link Acceptor} thread accepts every client and
 * hands it to one of N {@link SelectorLoop}s (lesson 04's class, built without a listener),
 * round-robin; each loop is a selector on its own platform thread and serves its clients for their
 * whole life. The loops share one room and one connection budget.
 *
 * <pre>
 *   acceptor ──accept()──► loop 1, loop 2, ..., loop N, loop 1, ...   (each through the loop's inbox)
 *
 *   loop 1 ──read, decode──► room (one lock, one order) ──offer──► outboxes of clients on every loop
 *                                                                   │
 *   loop 2 ◄──inbox: "write this client", one wakeup per batch ─────┘
 *   loop 2 ──one gathering write per client and turn──► socket
 * </pre>
 *
 * <p>This class only owns the life cycle: it binds the listener, starts the loops and the
 * acceptor, and in {@link #stop()} stops them in order (docs/protocol.md §8).
 */
public final class MultiReactorServer implements ChatServer {

    private static final int ACCEPT_BACKLOG = 1024;

    private final ServerOptions options;
    private final ServerConsole console;
    private final int loopCount;

    private ServerSocketChannel listener;
    private ChatRoom room;
    private final List<SelectorLoop> loops = new ArrayList<>();
    private final List<Thread> loopThreads = new ArrayList<>();
    private Thread acceptorThread;
    private volatile InetSocketAddress address;
    private boolean stopped;

    public MultiReactorServer(ServerOptions options, ServerConsole console) {
        this.options = options;
        this.console = console;
        this.loopCount = MultiReactorModel.loopsFor(options);
    }

    @Override
    public synchronized void start() throws IOException {
        if (listener != null) {
            throw new IllegalStateException("already started");
        }
        ServerSocketChannel opened = ServerSocketChannel.open();
        Semaphore connectionBudget = new Semaphore(options.connectionBudget());
        ChatRoom newRoom = null;
        List<SelectorLoop> created = new ArrayList<>();
        try {
            opened.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            opened.bind(new InetSocketAddress(options.host(), options.port()), ACCEPT_BACKLOG);
            newRoom = new ChatRoom(options, console);
            for (int i = 0; i < loopCount; i++) {
                created.add(new SelectorLoop(newRoom, options, console, connectionBudget));
            }
        } catch (IOException | RuntimeException e) {
            // Nothing started: what was opened is closed, and stop() finds a server that never started.
            created.forEach(SelectorLoop::closeUnstarted);
            if (newRoom != null) {
                newRoom.shutdown();
            }
            opened.close();
            throw e;
        }
        listener = opened;
        room = newRoom;
        loops.addAll(created);
        address = (InetSocketAddress) listener.getLocalAddress();
        for (int i = 0; i < loopCount; i++) {
            loopThreads.add(Thread.ofPlatform().name("multi-reactor-loop-" + (i + 1)).start(loops.get(i)));
        }
        Acceptor acceptor = new Acceptor(listener, List.copyOf(loops), connectionBudget, console);
        acceptorThread = Thread.ofPlatform().name("multi-reactor-acceptor").start(acceptor);
        console.status("listening on " + Sockets.describe(address) + " (" + loopCount
                + (loopCount == 1 ? " loop)" : " loops)"));
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    /**
     * Stops in this order: the listener, the room (every member gets its notice, every outbox its
     * close, and a channel the acceptor still hands over is refused), the acceptor (no channel
     * arrives after it), then every loop, each draining its own clients until the one grace period,
     * counted from now, ends; and joins every thread. The room goes first so that nothing the
     * acceptor is still doing comes out of the clients' grace period.
     */
    @Override
    public synchronized void stop() {
        if (listener == null || stopped) {
            return;
        }
        stopped = true;
        long graceEndsAt = System.nanoTime() + options.grace().toNanos();
        Sockets.closeQuietly(listener);
        room.shutdown();
        // Wakes the acceptor should it be waiting out an accept failure's back-off.
        acceptorThread.interrupt();
        Threads.joinUninterruptibly(acceptorThread);
        for (SelectorLoop loop : loops) {
            loop.requestStop(graceEndsAt);
        }
        for (Thread thread : loopThreads) {
            Threads.joinUninterruptibly(thread);
        }
        console.status("stopped");
    }
}

package dev.socketchat.threadperclient;

import dev.socketchat.protocol.Frame;
import dev.socketchat.protocol.FrameReader;
import dev.socketchat.protocol.FrameWriter;
import dev.socketchat.protocol.ProtocolException;
import dev.socketchat.room.ChatRoom;
import dev.socketchat.room.Member;
import dev.socketchat.room.Outbox;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * <b>Broken on purpose.</b> The original Python server's design: one thread per client, which reads
 * that client's messages and writes each one straight to every other client's socket.
 *
 * <pre>
 *   acceptor ──accept()──► reader: read() ─► room ─► offer() = write() to alice's socket
 *                                                          write() to bob's socket    ◄── blocks while bob does not read
 *                                                          write() to carol's socket
 * </pre>
 *
 * <p>The whole difference from {@link ThreadPerClientServer} is {@link SenderWrites}, the outbox the
 * room is given: its {@code offer} writes on the caller's thread instead of queueing. The room calls
 * it while it holds its lock, so once one client stops reading and its socket's buffers are full,
 * that write blocks, the lock stays held, and every other client's messages wait behind it. Nor can
 * the client ever be dropped as too slow: there is no queue whose length would say so. The contract
 * suite shows it: "slow consumer does not stall the room, and is dropped" fails here.
 *
 * <p>Everything else is as in {@link ThreadPerClientServer}, the limits included (the connection
 * budget, the back-off when accepting fails, the linger's deadline), so that the one hazard is all
 * it shows.
 *
 * <p>Try it: {@code ./chat server --model write-on-sender}, two {@code ./chat client}s, and a third
 * client that connects and never reads, such as {@code python3 clients/python/chat_client.py} stopped
 * with Ctrl-Z; then send long messages.
 */
public final class WriteOnSenderServer implements ChatServer {

    private static final int ACCEPT_BACKLOG = 1024;

    private final ServerOptions options;
    private final ServerConsole console;
    private final ChatRoom room;
    private final Map<Socket, Thread> readers = new ConcurrentHashMap<>();
    private final ReentrantLock lifecycle = new ReentrantLock();
    private final AcceptFailures acceptFailures;

    private volatile ServerSocket serverSocket;
    private Thread acceptor;
    private boolean stopped;

    public WriteOnSenderServer(ServerOptions options, ServerConsole console) {
        this.options = options;
        this.console = console;
        this.room = new ChatRoom(options, console);
        this.acceptFailures = new AcceptFailures(console);
    }

    @Override
    public void start() throws IOException {
        lifecycle.lock();
        try {
            if (serverSocket != null) {
                throw new IllegalStateException("already started");
            }
            serverSocket = Sockets.listen(options.host(), options.port(), ACCEPT_BACKLOG);
            acceptor = Thread.ofPlatform().name("acceptor").start(this::acceptLoop);
            console.status("listening on " + Sockets.describe(address()));
        } finally {
            lifecycle.unlock();
        }
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) serverSocket.getLocalSocketAddress();
    }

    private void acceptLoop() {
        Socket socket;
        while ((socket = acceptFailures.accept(serverSocket)) != null) {
            if (readers.size() >= options.connectionBudget()) {
                // Members and leavers already hold all the server allows: no thread for this one.
                Sockets.closeQuietly(socket);
            } else {
                startReader(socket);
            }
        }
    }

    private void startReader(Socket socket) {
        Thread reader = Thread.ofPlatform().name("reader " + Sockets.describe(socket.getRemoteSocketAddress()))
                .unstarted(() -> serve(socket));
        readers.put(socket, reader);
        try {
            reader.start();
        } catch (OutOfMemoryError e) {
            // "unable to create native thread": the limit of a thread per client, as in lesson 02.
            console.error("cannot start a thread for another client: " + e.getMessage());
            readers.remove(socket);
            Sockets.closeQuietly(socket);
        }
    }

    /** One client's thread: reads its frames and, inside the room, writes them to everyone. */
    private void serve(Socket socket) {
        try {
            Optional<Member> joined = room.join(new SenderWrites(socket), socket.getRemoteSocketAddress());
            if (joined.isPresent()) {
                converse(socket, joined.get());
            }
            Sockets.linger(socket);
        } catch (IOException e) {
            // The socket could not even be set up: the client is gone.
        } finally {
            Sockets.closeQuietly(socket);
            readers.remove(socket);
        }
    }

    private void converse(Socket socket, Member member) throws IOException {
        FrameReader frames = FrameReader.of(socket, options.maxPayload(), options.idleTimeout(), options.frameTimeout());
        try {
            while (member.isPresent()) {
                String payload = frames.read();
                if (payload == null) {
                    room.leave(member, "");
                    return;
                }
                // Returns only once every other member's socket has taken the frames: the hazard.
                Threads.pause(room.receive(member, payload));
            }
        } catch (ProtocolException e) {
            room.fault(member, e);
        } catch (IOException e) {
            room.leave(member, "connection lost: " + e.getMessage());
        }
    }

    @Override
    public void stop() {
        lifecycle.lock();
        try {
            if (serverSocket == null || stopped) {
                return;
            }
            stopped = true;
            Sockets.closeQuietly(serverSocket);
            Threads.joinUninterruptibly(acceptor);
            // Writes the notice to every client, each write on this thread: one client that does not
            // read holds this very call up, as it holds up every message.
            room.shutdown();
            long deadline = System.nanoTime() + options.grace().toNanos();
            for (Thread reader : readers.values()) {
                Threads.joinUninterruptibly(reader, deadline);
            }
            readers.keySet().forEach(Sockets::closeQuietly);
            readers.values().forEach(Threads::joinUninterruptibly);
            console.status("stopped");
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * The outbox of the original design: no queue. {@code offer} writes on the caller's thread, which
     * is the sender's reader thread, inside the room's lock.
     */
    private static final class SenderWrites implements Outbox {

        private final Socket socket;
        private final FrameWriter out;

        SenderWrites(Socket socket) throws IOException {
            this.socket = socket;
            this.out = FrameWriter.of(socket);
        }

        @Override
        public boolean offer(Frame frame) {
            try {
                // Blocks while this client does not read; the room's lock is held all that time.
                out.send(frame);
            } catch (IOException e) {
                // The client is gone; its own thread notices when its read fails.
                Sockets.closeQuietly(socket);
            }
            // Never "too slow": without a queue there is nothing to measure.
            return true;
        }

        @Override
        public void close() {
            try {
                socket.shutdownOutput();
            } catch (IOException e) {
                Sockets.closeQuietly(socket);
            }
        }

        @Override
        public void abort() {
            Sockets.closeQuietly(socket);
        }
    }
}

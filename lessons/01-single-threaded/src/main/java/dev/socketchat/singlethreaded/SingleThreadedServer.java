package dev.socketchat.singlethreaded;

import dev.socketchat.protocol.Frame;
import dev.socketchat.protocol.FrameReader;
import dev.socketchat.protocol.FrameWriter;
import dev.socketchat.protocol.ProtocolException;
import dev.socketchat.room.BoundedOutbox;
import dev.socketchat.room.ChatRoom;
import dev.socketchat.room.Member;
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
import java.util.List;
import java.util.Optional;

/**
 * Lesson 01: one thread does everything, for one client at a time.
 *
 * <pre>
 *   server thread:  accept() ─► serve(client): read() ─► room ─► write() ─► read() ─► ... ─► close
 *                      ▲                                                                  │
 *                      └──────────────────────────── next client ◄───────────────────────┘
 * </pre>
 *
 * <p>The thread blocks in {@code accept()} until a client connects, then in {@code read()} until
 * that client sends a whole frame. While it waits there it cannot accept anyone else: a second
 * client's connection is completed by the operating system and waits in the listen backlog, without
 * even its welcome, until the first client leaves. That is the point of this lesson, and the reason
 * every later lesson adds threads or non-blocking I/O.
 *
 * <p>Within that limit the server is complete: it enforces the frame and idle timeouts and the
 * maximum payload, answers faults with {@code !error}, and stops gracefully.
 */
public final class SingleThreadedServer implements ChatServer {

    private final ServerOptions options;
    private final ServerConsole console;
    private final ChatRoom room;
    private final AcceptFailures acceptFailures;

    private volatile ServerSocket serverSocket;
    // The client being served, so that stop() can wake the server thread from its blocking read.
    private volatile Socket current;
    private Thread thread;
    private boolean stopped;

    public SingleThreadedServer(ServerOptions options, ServerConsole console) {
        this.options = options;
        this.console = console;
        this.room = new ChatRoom(options, console);
        this.acceptFailures = new AcceptFailures(console);
    }

    @Override
    public synchronized void start() throws IOException {
        if (serverSocket != null) {
            throw new IllegalStateException("already started");
        }
        // The JDK's default backlog (50): how many clients wait, unanswered, behind the one served.
        ServerSocket socket = Sockets.listen(options.host(), options.port(), 0);
        serverSocket = socket;
        thread = Thread.ofPlatform().name("server").start(this::acceptLoop);
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
            current = socket;
            try {
                serve(socket);
            } finally {
                current = null;
                Sockets.closeQuietly(socket);
            }
        }
    }

    /** Serves one client from its welcome to its close; nobody else is served meanwhile. */
    private void serve(Socket socket) {
        // The outbox is still the room's only way to reach a client; here the same thread that put
        // frames into it takes them out again, right after each frame it hands to the room.
        BoundedOutbox outbox = new BoundedOutbox(options.outboundLimit(), () -> Sockets.closeQuietly(socket));
        Optional<Member> joined = room.join(outbox, socket.getRemoteSocketAddress());
        try {
            FrameWriter out = FrameWriter.of(socket);
            flush(outbox, out);
            if (joined.isPresent()) {
                converse(socket, joined.get(), outbox, out);
            }
            if (!outbox.isAborted()) {
                // Everything is written: end of stream tells the client nothing more will come.
                socket.shutdownOutput();
                // Closing with unread input would send a reset, which can destroy the last frames.
                Sockets.linger(socket);
            }
        } catch (IOException e) {
            // The client went away while we wrote to it; the finally block in acceptLoop closes it.
            joined.ifPresent(member -> room.leave(member, "connection lost: " + e.getMessage()));
        }
    }

    /** Reads frames and writes the room's answers until the client leaves or breaks the protocol. */
    private void converse(Socket socket, Member member, BoundedOutbox outbox, FrameWriter out) throws IOException {
        try {
            FrameReader frames = FrameReader.of(socket, options.maxPayload(), options.idleTimeout(),
                    options.frameTimeout());
            while (member.isPresent()) {
                // Blocks until this client sends a whole frame: everyone else waits too.
                String payload = frames.read();
                long pause = 0;
                if (payload == null) {
                    room.leave(member, "");
                } else {
                    pause = room.receive(member, payload);
                }
                flush(outbox, out);
                // Over its rate: its next frames wait in the socket, and the sender's TCP window fills.
                Threads.pause(pause);
            }
        } catch (ProtocolException e) {
            room.fault(member, e);
        } catch (IOException e) {
            // Reset by the client, or stop() gave up on it after the grace period.
            room.leave(member, "connection lost: " + e.getMessage());
        } catch (OutOfMemoryError e) {
            // This client's frame did not fit in the heap: it alone ends, and the server goes on.
            room.leave(member, "out of memory");
        }
        // Last words: "!error <reason>" after a fault, or "* server shutting down".
        flush(outbox, out);
    }

    /**
     * Writes whatever the room has queued for the client. The write blocks while the client does
     * not read, and it has no timeout; with one client at a time, only that client is kept waiting
     * by it, and stop() cuts it off after the grace period.
     */
    private static void flush(BoundedOutbox outbox, FrameWriter out) throws IOException {
        List<Frame> batch = outbox.poll();
        if (!batch.isEmpty()) {
            out.sendAll(batch);
            outbox.written(batch.stream().mapToLong(Frame::wireLength).sum());
        }
    }

    @Override
    public synchronized void stop() {
        if (serverSocket == null || stopped) {
            return;
        }
        stopped = true;
        // The grace period counts from the request to stop.
        long deadline = System.nanoTime() + options.grace().toNanos();
        // No new connections: accept() fails and the loop ends after the current client.
        Sockets.closeQuietly(serverSocket);
        // The current client gets "* server shutting down" in its outbox, and its outbox is closed.
        room.shutdown();
        Socket client = current;
        if (client != null) {
            // The wakeup: the server thread is most likely blocked reading from this client. Shutting
            // down the input side makes that read see end of stream, so the thread goes on to write
            // the notice. A client that joins after this is refused by the room instead.
            try {
                client.shutdownInput();
            } catch (IOException e) {
                // Already closed: the thread is past its read.
            }
        }
        // Uninterruptible: stop() may be called from an interrupted thread, and the grace period still holds.
        Threads.joinUninterruptibly(thread, deadline);
        Socket last = current;
        if (thread.isAlive() && last != null) {
            // The client did not take its last frames within the grace period: cut it off, which
            // ends a blocking write.
            Sockets.closeQuietly(last);
        }
        Threads.joinUninterruptibly(thread);
        console.status("stopped");
    }

}

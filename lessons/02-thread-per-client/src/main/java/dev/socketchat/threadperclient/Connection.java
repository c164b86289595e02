package dev.socketchat.threadperclient;

import dev.socketchat.protocol.Frame;
import dev.socketchat.protocol.FrameReader;
import dev.socketchat.protocol.FrameWriter;
import dev.socketchat.protocol.ProtocolException;
import dev.socketchat.room.BoundedOutbox;
import dev.socketchat.room.ChatRoom;
import dev.socketchat.room.Member;
import dev.socketchat.server.ServerOptions;
import dev.socketchat.server.Sockets;
import dev.socketchat.server.Threads;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.Optional;

/**
 * One client and its two threads.
 *
 * <ul>
 *   <li>The <b>reader</b> blocks in {@code read()} until a whole frame has arrived, hands it to the
 *       room, and repeats. The room puts the resulting frames into outboxes and returns at once.</li>
 *   <li>The <b>writer</b> blocks until this client's outbox has frames, then writes them. A blocking
 *       write waits as long as the client does not read, and it has no timeout; because only this
 *       client's writer ever waits on this client's socket, nobody else is held up. When the backlog
 *       passes the outbound limit, the room drops the client and its socket is closed, which also
 *       frees the writer.</li>
 * </ul>
 *
 * <p>The original Python server wrote every message on the sender's thread, straight to each other
 * client's socket: one client that stopped reading would, sooner or later, stall everyone.
 */
final class Connection {

    private final Socket socket;
    private final ChatRoom room;
    private final ServerOptions options;
    private final String peer;
    private final BoundedOutbox outbox;
    private Thread reader;
    private Thread writer;

    Connection(Socket socket, ChatRoom room, ServerOptions options) {
        this.socket = socket;
        this.room = room;
        this.options = options;
        this.peer = Sockets.describe(socket.getRemoteSocketAddress());
        this.outbox = new BoundedOutbox(options.outboundLimit(), this::abort);
    }

    /**
     * Starts both threads; {@code onEnd} runs on the reader thread once the connection is fully closed.
     *
     * @throws OutOfMemoryError if the system cannot create another thread; nothing is left running
     */
    void start(Thread.Builder threads, Runnable onEnd) {
        writer = threads.name("writer " + peer).start(this::writeLoop);
        try {
            reader = threads.name("reader " + peer).start(() -> {
                try {
                    readLoop();
                    finish();
                } finally {
                    onEnd.run();
                }
            });
        } catch (OutOfMemoryError e) {
            outbox.abort(); // ends the writer, which is waiting for frames that will never come
            throw e;
        }
    }

    private void readLoop() {
        Optional<Member> joined = room.join(outbox, socket.getRemoteSocketAddress());
        if (joined.isEmpty()) {
            return; // Refused: the outbox holds "!error server full" and a close.
        }
        Member member = joined.get();
        try {
            FrameReader frames = FrameReader.of(socket, options.maxPayload(), options.idleTimeout(),
                    options.frameTimeout());
            while (member.isPresent()) {
                // Blocks until a whole frame is in, the client goes away, or a deadline passes.
                String payload = frames.read();
                if (payload == null) {
                    room.leave(member, "");
                    return;
                }
                // Over its rate: its next frames wait in the socket, and the sender's TCP window fills.
                Threads.pause(room.receive(member, payload));
            }
        } catch (ProtocolException e) {
            room.fault(member, e);
        } catch (IOException e) {
            // Reset, or the socket was closed under us because the client was dropped or the server stops.
            room.leave(member, "connection lost: " + e.getMessage());
        } catch (OutOfMemoryError e) {
            // This connection's frame did not fit in the heap: it alone ends, and nobody is left stuck.
            room.leave(member, "out of memory");
        }
    }

    private void writeLoop() {
        try {
            FrameWriter frames = FrameWriter.of(socket);
            List<Frame> batch;
            // Blocks until frames are queued; empty once the outbox is closed and drained, or aborted.
            while (!(batch = outbox.take()).isEmpty()) {
                // Blocks while the client's receive window is full: only this thread waits.
                frames.sendAll(batch);
                outbox.written(batch.stream().mapToLong(Frame::wireLength).sum());
            }
            if (!outbox.isAborted()) {
                // Everything is written: end of stream tells the client nothing more will come.
                socket.shutdownOutput();
            }
        } catch (IOException | InterruptedException e) {
            // The client is gone or the socket was closed; closing it ends the reader as well.
            abort();
        }
    }

    /**
     * Closes politely, within a deadline counted from the moment the client left the room: waits for
     * the writer to drain (a client that never reads gets the grace period), then lingers until the
     * client closes its side, for {@link Sockets#LINGER} at most in all. Closing a socket with unread
     * input sends a reset, and a reset can destroy the last frames still on their way, such as the
     * {@code !error} that explains the close.
     */
    private void finish() {
        join(writer, System.nanoTime() + options.grace().toNanos());
        Sockets.linger(socket);
        abort();
    }

    /** Closes the socket now; both threads end soon after. */
    void abort() {
        Sockets.closeQuietly(socket);
    }

    /** Waits for both threads until {@code deadline} (a {@link System#nanoTime()} value), or forever if 0. */
    void awaitEnd(long deadline) {
        join(writer, deadline);
        if (reader != null) {
            join(reader, deadline);
        }
    }

    private static void join(Thread thread, long deadline) {
        // Uninterruptible: stop() may be called from an interrupted thread, and must still wait.
        Threads.joinUninterruptibly(thread, deadline);
    }
}

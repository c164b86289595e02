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

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

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

    /** How long a closing connection keeps reading (and discarding) what the client still sends. */
    private static final int LINGER_MILLIS = 1_000;

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
        Optional<Member> joined = room.join(outbox, peer);
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
                room.receive(member, payload);
            }
        } catch (ProtocolException e) {
            room.fault(member, e);
        } catch (IOException e) {
            // Reset, or the socket was closed under us because the client was dropped or the server stops.
            room.leave(member, "connection lost: " + e.getMessage());
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
     * Closes politely: waits for the writer to drain (a client that never reads gets the grace
     * period), then keeps reading briefly until the client closes its side. Closing a socket with
     * unread input sends a reset, and a reset can destroy the last frames still on their way, such
     * as the {@code !error} that explains the close.
     */
    private void finish() {
        join(writer, System.nanoTime() + options.grace().toNanos());
        try {
            socket.setSoTimeout(LINGER_MILLIS);
            byte[] discard = new byte[8192];
            while (socket.getInputStream().read(discard) >= 0) {
                // Discarded: the connection is closing.
            }
        } catch (IOException e) {
            // Timed out, reset or already closed: close it anyway.
        }
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
        try {
            if (deadline == 0) {
                thread.join();
            } else {
                long remaining = deadline - System.nanoTime();
                if (remaining > 0) {
                    thread.join(TimeUnit.NANOSECONDS.toMillis(remaining) + 1);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

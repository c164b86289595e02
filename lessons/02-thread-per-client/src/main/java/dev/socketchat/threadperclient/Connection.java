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
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

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
 * <p>Where the two threads come from is not the connection's business but its server's, through a
 * {@link Runner}: this lesson starts a platform thread for each loop, lesson 05 a virtual one, and
 * lesson 03 lends each loop a thread of its pool for the client's whole session. The loops are the
 * same blocking loops in all three.
 *
 * <p>The original Python server wrote every message on the sender's thread, straight to each other
 * client's socket: one client that stopped reading would, sooner or later, stall everyone.
 */
public final class Connection {

    /** Gives a connection's loop a thread for as long as the loop runs. */
    @FunctionalInterface
    public interface Runner {

        /**
         * Runs {@code loop} on a thread named {@code name} (a thread dump then shows which client
         * holds which thread) and returns at once.
         *
         * @return a wait for the loop's end, and for its thread's too if the thread ends with it
         * @throws OutOfMemoryError if the system cannot create another thread; the loop does not run
         */
        End run(String name, Runnable loop);
    }

    /** The end of one loop, as its {@link Runner} knows it: a thread's end, or a task's. */
    @FunctionalInterface
    public interface End {

        /**
         * Waits, even if the caller is interrupted, until the loop has ended or {@code deadline} (a
         * {@link System#nanoTime()} value, or {@link Threads#FOREVER}) has passed.
         */
        void await(long deadline);
    }

    private final Socket socket;
    private final ChatRoom room;
    private final ServerOptions options;
    private final String peer;
    private final BoundedOutbox outbox;
    // The loops still running; whichever ends last ends the connection.
    private final AtomicInteger loopsRunning = new AtomicInteger(2);
    private End reader;
    private End writer;

    public Connection(Socket socket, ChatRoom room, ServerOptions options) {
        this.socket = socket;
        this.room = room;
        this.options = options;
        this.peer = Sockets.describe(socket.getRemoteSocketAddress());
        this.outbox = new BoundedOutbox(options.outboundLimit(), this::abort);
    }

    /**
     * Runs both loops; {@code onEnd} runs once both have ended, on the thread of the one that ended last.
     *
     * @throws OutOfMemoryError if the system cannot create another thread; nothing is left running
     */
    public void start(Runner runner, Runnable onEnd) {
        writer = runner.run("writer " + peer, () -> ending(this::writeLoop, onEnd));
        try {
            reader = runner.run("reader " + peer, () -> ending(() -> {
                readLoop();
                finish();
            }, onEnd));
        } catch (OutOfMemoryError e) {
            outbox.abort(); // ends the writer, which is waiting for frames that will never come
            throw e;
        }
    }

    private void ending(Runnable loop, Runnable onEnd) {
        try {
            loop.run();
        } finally {
            if (loopsRunning.decrementAndGet() == 0) {
                onEnd.run();
            }
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
        } catch (IOException e) {
            // The client is gone or the socket was closed; closing it ends the reader as well.
            abort();
        } catch (InterruptedException e) {
            // The server is taking its threads back (a pool shut down now): close, and keep the flag.
            abort();
            Thread.currentThread().interrupt();
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
        writer.await(System.nanoTime() + options.grace().toNanos());
        Sockets.linger(socket);
        abort();
    }

    /** Closes the socket now; both loops end soon after. */
    public void abort() {
        Sockets.closeQuietly(socket);
    }

    /** Waits for both loops until {@code deadline} (a {@link System#nanoTime()} value), or forever if 0. */
    public void awaitEnd(long deadline) {
        writer.await(deadline);
        if (reader != null) {
            reader.await(deadline);
        }
    }

    /**
     * Stops every connection within the grace period: waits for each to end until {@code deadline}
     * (its writer drains the notice, its reader lingers), cuts off whoever has not, and waits for
     * those to end too. Call it once no connection can be added.
     */
    public static void endAll(Collection<Connection> connections, long deadline) {
        // A copy: a connection leaves the live set from inside its last loop, before that loop's
        // thread has ended, and must still be waited for.
        List<Connection> all = List.copyOf(connections);
        for (Connection connection : all) {
            connection.awaitEnd(deadline);
        }
        for (Connection connection : all) {
            connection.abort();
        }
        for (Connection connection : all) {
            connection.awaitEnd(Threads.FOREVER);
        }
    }
}

package dev.socketchat.threadpool;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client and the two pool threads it holds for its whole session.
 *
 * <p>This is lesson 02's connection with one change: its reader and writer are tasks run by a fixed
 * pool instead of threads of their own. The loops are the same blocking loops, so each task keeps
 * its pool thread until the client leaves:
 * <ul>
 *   <li>the <b>reader task</b> blocks in {@code read()} until a whole frame has arrived, hands it to
 *       the room, and repeats;</li>
 *   <li>the <b>writer task</b> blocks until this client's outbox has frames, then writes them.</li>
 * </ul>
 * A pooled thread does not come back to the pool between frames: a pool of N threads serves N/2
 * clients, not N clients' worth of messages. The server admits a client only when two threads are
 * free for it (see {@link ThreadPoolServer}).
 */
final class Connection {

    private final Socket socket;
    private final ChatRoom room;
    private final ServerOptions options;
    private final String peer;
    private final BoundedOutbox outbox;
    private final CountDownLatch readerDone = new CountDownLatch(1);
    private final CountDownLatch writerDone = new CountDownLatch(1);
    private final AtomicInteger tasksRunning = new AtomicInteger(2);

    Connection(Socket socket, ChatRoom room, ServerOptions options) {
        this.socket = socket;
        this.room = room;
        this.options = options;
        this.peer = Sockets.describe(socket.getRemoteSocketAddress());
        this.outbox = new BoundedOutbox(options.outboundLimit(), this::abort);
    }

    /**
     * Hands both tasks to the pool; {@code onEnd} runs once both have finished, on the pool thread
     * of the one that finished last, just before that thread returns to the pool.
     */
    void start(ExecutorService pool, Runnable onEnd) {
        pool.execute(() -> run("writer " + peer, this::writeLoop, writerDone, onEnd));
        pool.execute(() -> run("reader " + peer, () -> {
            readLoop();
            finish();
        }, readerDone, onEnd));
    }

    /**
     * Runs one of the two tasks under the client's name, so a thread dump shows which client holds
     * which pool thread, and gives the thread back under its pool name.
     */
    private void run(String name, Runnable task, CountDownLatch done, Runnable onEnd) {
        Thread thread = Thread.currentThread();
        String poolName = thread.getName();
        thread.setName(name);
        try {
            task.run();
        } finally {
            thread.setName(poolName);
            done.countDown();
            if (tasksRunning.decrementAndGet() == 0) {
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
                // Blocks until a whole frame is in, the client goes away, or a deadline passes:
                // all that time, this pool thread serves no one else.
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
                // Blocks while the client's receive window is full: only this pool thread waits.
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
            // The pool is being shut down now: close the connection and give the thread back.
            abort();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Closes politely, as lesson 02 does: waits for the writer to drain (a client that never reads
     * gets the grace period), then lingers until the client closes its side, for
     * {@link Sockets#LINGER} at most in all, so that unread input does not turn the close into a
     * reset that destroys the last frames.
     */
    private void finish() {
        await(writerDone, System.nanoTime() + options.grace().toNanos());
        Sockets.linger(socket);
        abort();
    }

    /** Closes the socket now; both tasks end soon after. */
    void abort() {
        Sockets.closeQuietly(socket);
    }

    /** Waits for both tasks until {@code deadline} (a {@link System#nanoTime()} value), or forever if 0. */
    void awaitEnd(long deadline) {
        await(writerDone, deadline);
        await(readerDone, deadline);
    }

    private static void await(CountDownLatch latch, long deadline) {
        // Uninterruptible: stop() may be called from an interrupted thread, and must still wait.
        Threads.awaitUninterruptibly(latch, deadline);
    }
}

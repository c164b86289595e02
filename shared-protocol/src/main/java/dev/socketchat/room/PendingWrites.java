package dev.socketchat.room;

import dev.socketchat.protocol.Frame;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.GatheringByteChannel;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The frames a connection has taken from its {@link BoundedOutbox} but not yet fully written: a
 * window {@code [start, end)} over an array of read-only buffer views, which is exactly what a
 * gathering write wants, whether it waits for readiness (lesson 04) or for a completion (lesson 07).
 *
 * <p>The cases, as the socket takes more or less:
 * <ul>
 *   <li><b>everything went out</b> (the common case): the window is emptied, and the array is kept
 *       for the next write, unless a rare pile-up grew it past {@value #MAX_GATHER} slots;</li>
 *   <li><b>part went out</b>: the fully written buffers at the front are dropped (their slots set to
 *       {@code null} so the frames can be collected) and {@code start} moves past them; the first
 *       remaining buffer may be half written, its position says how far;</li>
 *   <li><b>more frames arrive while some wait</b>: they are appended after {@code end}; if the array
 *       has no room behind, the waiting ones are first moved to the front, and the array doubles only
 *       if that is still not enough.</li>
 * </ul>
 *
 * <p>Not thread-safe: used by one connection's writer at a time, which hands it on to the next with
 * a happens-before (lesson 04's loop thread, lesson 07's write chain).
 */
public final class PendingWrites {

    /** The most buffers one gathering write takes: Linux's IOV_MAX. The JDK would cap it there too. */
    public static final int MAX_GATHER = 1024;

    private static final int INITIAL_SLOTS = 8;

    private final int framesPerWrite;
    private ByteBuffer[] buffers = new ByteBuffer[INITIAL_SLOTS];
    private int start;
    private int end;

    /** A window whose writes gather up to {@value #MAX_GATHER} frames each, as the lessons write. */
    public PendingWrites() {
        this(MAX_GATHER);
    }

    /**
     * @param framesPerWrite the most frames one write call takes: {@value #MAX_GATHER}, or fewer to
     *                       measure what gathering saves (the benchmarks' one-write-per-frame variant)
     */
    public PendingWrites(int framesPerWrite) {
        this.framesPerWrite = checkFramesPerWrite(framesPerWrite);
    }

    /**
     * Returns {@code framesPerWrite} if a window can gather that many frames per write, so that a
     * server can refuse a bad value when it starts rather than when its first client connects.
     *
     * @throws IllegalArgumentException unless it is 1 to {@value #MAX_GATHER}
     */
    public static int checkFramesPerWrite(int framesPerWrite) {
        if (framesPerWrite < 1 || framesPerWrite > MAX_GATHER) {
            throw new IllegalArgumentException(
                    "framesPerWrite must be 1 to " + MAX_GATHER + ", not " + framesPerWrite);
        }
        return framesPerWrite;
    }

    /** Appends the frames just taken from the outbox behind those still waiting. */
    public void add(List<Frame> frames) {
        if (frames.isEmpty()) {
            return;
        }
        int waiting = end - start;
        if (end + frames.size() > buffers.length) {
            ByteBuffer[] target = waiting + frames.size() > buffers.length
                    ? new ByteBuffer[Math.max(2 * buffers.length, waiting + frames.size())]
                    : buffers;
            System.arraycopy(buffers, start, target, 0, waiting);
            // When compacting in place, clear the old tail so no frame stays reachable twice.
            Arrays.fill(target, waiting, end, null);
            buffers = target;
            start = 0;
            end = waiting;
        }
        for (Frame frame : frames) {
            buffers[end++] = frame.buffer();
        }
    }

    /** Whether nothing is waiting to be written. */
    public boolean isEmpty() {
        return start == end;
    }

    /**
     * Writes as much of the window as a non-blocking {@code channel} takes, without waiting, and
     * tells {@code outbox} how many bytes left (lesson 04). Returns whether everything went out; if
     * not, the caller waits until the channel is writable again.
     */
    public boolean writeTo(GatheringByteChannel channel, BoundedOutbox outbox) throws IOException {
        while (start < end) {
            int count = Math.min(end - start, framesPerWrite);
            // Takes what fits in the socket's send buffer: possibly nothing, possibly half a frame.
            outbox.written(channel.write(buffers, start, count));
            int sliceEnd = start + count;
            dropWritten(sliceEnd);
            if (start < sliceEnd) {
                return false; // the send buffer is full
            }
        }
        return emptied();
    }

    /**
     * Starts one gathering write of what is waiting, without a timeout (lesson 07); {@code handler}
     * runs once the socket has taken at least a byte, and must pass the count to {@link #written}. As
     * with any write on an asynchronous channel, the handler may run inside this call.
     */
    public void writeTo(AsynchronousSocketChannel channel, CompletionHandler<Long, Void> handler) {
        channel.write(buffers, start, Math.min(end - start, framesPerWrite), 0, TimeUnit.NANOSECONDS, null, handler);
    }

    /**
     * Accounts for {@code bytes} taken by the socket, here and in {@code outbox}; returns whether
     * everything went out, and if not, the window holds what is left.
     */
    public boolean written(long bytes, BoundedOutbox outbox) {
        outbox.written(bytes);
        dropWritten(end);
        return start == end && emptied();
    }

    /** Moves {@code start} past the fully written buffers before {@code limit}, letting their frames go. */
    private void dropWritten(int limit) {
        while (start < limit && !buffers[start].hasRemaining()) {
            buffers[start++] = null;
        }
    }

    private boolean emptied() {
        start = 0;
        end = 0;
        if (buffers.length > MAX_GATHER) {
            buffers = new ByteBuffer[INITIAL_SLOTS]; // after a rare pile-up, give the memory back
        }
        return true;
    }
}

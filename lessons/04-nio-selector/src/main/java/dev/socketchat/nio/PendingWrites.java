package dev.socketchat.nio;

import dev.socketchat.protocol.Frame;
import dev.socketchat.room.BoundedOutbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.List;

/**
 * The frames a connection has taken from its outbox but not yet fully written: a window
 * {@code [start, end)} over an array of read-only buffer views, which is exactly what a gathering
 * {@code write(ByteBuffer[], offset, length)} wants.
 *
 * <p>The cases, as the socket takes more or less:
 * <ul>
 *   <li><b>everything went out</b> (the common case): the window is emptied, and the array is kept
 *       for the next turn, unless a rare pile-up grew it past {@value #MAX_GATHER} slots;</li>
 *   <li><b>part went out</b>: the fully written buffers at the front are dropped (their slots set to
 *       {@code null} so the frames can be collected) and {@code start} moves past them; the first
 *       remaining buffer may be half written, its position says how far;</li>
 *   <li><b>more frames arrive while some wait</b>: they are appended after {@code end}; if the array
 *       has no room behind, the waiting ones are first moved to the front, and the array doubles only
 *       if that is still not enough.</li>
 * </ul>
 *
 * <p>Used by one connection on the loop's thread only.
 */
final class PendingWrites {

    /** The most buffers one gathering write takes: Linux's IOV_MAX. The JDK would cap it there too. */
    static final int MAX_GATHER = 1024;

    private static final int INITIAL_SLOTS = 8;

    private final int framesPerWrite;
    private ByteBuffer[] buffers = new ByteBuffer[INITIAL_SLOTS];
    private int start;
    private int end;

    /** @param framesPerWrite the most frames one write call takes: {@link #MAX_GATHER}, or fewer to measure */
    PendingWrites(int framesPerWrite) {
        this.framesPerWrite = framesPerWrite;
    }

    /** Appends the frames just taken from the outbox behind those still waiting. */
    void add(List<Frame> frames) {
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

    /**
     * Writes as much of the window as the socket takes, without waiting, in gathering writes of at
     * most {@code framesPerWrite} frames, and tells {@code outbox} how many bytes left. Returns whether
     * everything went out; if not, the caller waits for {@code OP_WRITE}.
     */
    boolean writeTo(SocketChannel channel, BoundedOutbox outbox) throws IOException {
        while (start < end) {
            int count = Math.min(end - start, framesPerWrite);
            // Takes what fits in the socket's send buffer: possibly nothing, possibly half a frame.
            outbox.written(channel.write(buffers, start, count));
            int sliceEnd = start + count;
            while (start < sliceEnd && !buffers[start].hasRemaining()) {
                buffers[start++] = null;
            }
            if (start < sliceEnd) {
                return false; // the send buffer is full
            }
        }
        start = 0;
        end = 0;
        if (buffers.length > MAX_GATHER) {
            buffers = new ByteBuffer[INITIAL_SLOTS]; // after a rare pile-up, give the memory back
        }
        return true;
    }
}

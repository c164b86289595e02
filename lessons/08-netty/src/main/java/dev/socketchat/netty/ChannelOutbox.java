package dev.socketchat.netty;

import dev.socketchat.protocol.Frame;
import dev.socketchat.room.Outbox;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A member's outbox: frames from the room, from any thread, handed to the member's channel on the
 * channel's own event loop, in the room's order.
 *
 * <pre>
 *  room (any loop, under its lock)            the channel's loop
 *  offer ─► [ buf | buf | buf ] ──one drain task per burst──► write, write, write, flush ─► socket
 *           queued: counted here              pending in the channel: counted by Netty
 *           └──────────── both together against the outbound limit ────────────┘
 * </pre>
 *
 * <h2>Why a queue of its own, and one task per burst</h2>
 * Netty lets any thread call {@code channel.writeAndFlush}: from another thread it queues the
 * write as a task on the channel's loop, but on the loop itself it writes at once. The room offers
 * from whichever loop read the frame, so the member on loop 2 could receive frame B, offered on
 * loop 2, before frame A, offered earlier from loop 1 and still waiting as a task: the room's one
 * order would be lost. So every frame goes through this queue, in the room's order, and the
 * channel's loop drains it with one task ({@code eventLoop.execute}: Netty's executor hand-off,
 * which wakes the loop if it sleeps), scheduled only when the queue had none pending: a burst of a
 * hundred frames costs one task and one flush, not a hundred.
 *
 * <h2>Slow consumers (docs/protocol.md §7)</h2>
 * A frame counts from the moment it is offered until the socket has taken it: first in this
 * queue, then in the channel's outbound buffer, where Netty counts it (with about a hundred bytes
 * of bookkeeping per frame) and reports it through {@link Channel#bytesBeforeUnwritable()}, whose
 * high water mark is the outbound limit. When the two together would pass the limit, the offer is
 * refused and the room drops the member; as with the shared {@code BoundedOutbox}, one frame is
 * always accepted when nothing is pending, whatever its size. This is the shared outbox's rule on
 * Netty's own count rather than the shared outbox itself, because that one holds {@code Frame}s,
 * while here each recipient holds a duplicate of one shared direct buffer ({@link SharedFrames}).
 *
 * <p>The room calls {@link #offer}, {@link #close} and {@link #abort} under its lock, from any
 * thread; none of them blocks.
 */
final class ChannelOutbox implements Outbox {

    private enum State { OPEN, CLOSING, ABORTED }

    /** Marks the room's close in the queue, behind the frames offered before it. */
    private static final Object CLOSE = new Object();

    private final Channel channel;
    private final SharedFrames frames;
    private final long limit;
    private final Runnable onClose;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;
    private volatile State state = State.OPEN;

    /**
     * @param limit   the outbound limit, also the channel's high water mark
     * @param onClose run on the channel's loop once the room has closed this outbox, after every
     *                frame offered before the close has been written to the channel
     */
    ChannelOutbox(Channel channel, SharedFrames frames, long limit, Runnable onClose) {
        this.channel = channel;
        this.frames = frames;
        this.limit = limit;
        this.onClose = onClose;
    }

    @Override
    public boolean offer(Frame frame) {
        if (state != State.OPEN) {
            return true; // leaving already: nothing more is written, and it is not slow
        }
        if (!channel.isOpen()) {
            return true; // gone: its own leave is on its way, and it is not slow either
        }
        long unwritten = queuedBytes.get() + pendingInChannel();
        if (unwritten > 0 && unwritten + frame.wireLength() > limit) {
            return false;
        }
        queuedBytes.addAndGet(frame.wireLength());
        enqueue(frames.retainedDuplicate(frame));
        return true;
    }

    @Override
    public void close() {
        if (state != State.OPEN) {
            return;
        }
        state = State.CLOSING;
        enqueue(CLOSE);
    }

    @Override
    public void abort() {
        if (state == State.ABORTED) {
            return;
        }
        state = State.ABORTED;
        // Thread-safe: Netty runs the close on the channel's loop; the drain then releases what is queued.
        channel.close();
        scheduleDrain();
    }

    /** Bytes the channel holds and the socket has not taken yet, as Netty counts them. */
    private long pendingInChannel() {
        if (!channel.isWritable()) {
            return limit + 1; // past the high water mark: more than the limit
        }
        // Netty says how far below the high water mark (the limit) it is; one past it flips writability.
        return Math.max(0, limit + 1 - channel.bytesBeforeUnwritable());
    }

    private void enqueue(Object item) {
        queue.add(item);
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(drain);
        }
    }

    /** On the channel's loop: hands everything queued to the channel, then flushes once. */
    private void drain() {
        // Cleared first: an offer that comes while this runs schedules the next drain itself.
        drainScheduled.set(false);
        boolean wrote = false;
        Object item;
        while ((item = queue.poll()) != null) {
            if (item == CLOSE) {
                flushIf(wrote);
                wrote = false;
                onClose.run();
            } else {
                ByteBuf frame = (ByteBuf) item;
                queuedBytes.addAndGet(-frame.readableBytes());
                if (state == State.ABORTED) {
                    frame.release();
                } else {
                    // The void promise: no future per frame. A failed write closes the channel,
                    // which then leaves the room.
                    channel.write(frame, channel.voidPromise());
                    wrote = true;
                }
            }
        }
        flushIf(wrote);
    }

    private void flushIf(boolean wrote) {
        if (wrote) {
            channel.flush();
        }
    }
}

package dev.socketchat.netty;

import dev.socketchat.protocol.Frame;
import dev.socketchat.room.Outbox;
import io.netty.channel.Channel;

import java.util.function.Supplier;

/**
 * A member's outbox: frames from the room, from any thread, handed to the member's channel on the
 * channel's own event loop, in the room's order, with one write and one flush per burst.
 *
 * <pre>
 *  room (any loop, under its lock)          the channel's loop
 *  offer ─► [ frame | frame | frame ] ──one drain task per burst──► one direct buffer ─► write, flush ─► socket
 *           queued: counted here                                    pending in the channel: counted by Netty
 *           └──────────────────── both together against the outbound limit ────────────────────┘
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
 * <h2>One buffer per burst</h2>
 * The drain copies the burst's frames into one pooled direct buffer and writes that: one message in
 * the channel's outbound buffer and one write to the socket, whatever the number of frames
 * ({@link CopiedBurst}, which says why not a shared buffer per frame). What the queue holds and how
 * the drain hands it to Netty is a {@link Burst}, made by {@link NettyServer#newBurst()}, so that the
 * benchmarks can measure another way with this same queue by overriding that.
 *
 * <p>The queue is two bursts that trade places: the room adds to one under this object's lock, and
 * the drain takes the whole burst in one step, leaving the other, empty, in its place. Offers are
 * made under the room's one lock already, so this lock is contended only by a drain taking its
 * burst, for the time of a swap.
 *
 * <h2>Slow consumers (docs/protocol.md §7)</h2>
 * A frame counts from the moment it is offered until the socket has taken it: first in this
 * queue, then in the channel's outbound buffer, where Netty counts it (with about a hundred bytes
 * of bookkeeping per burst) and reports it through {@link Channel#bytesBeforeUnwritable()}, whose
 * high water mark is the outbound limit. When the two together would pass the limit, the offer is
 * refused and the room drops the member; as with the shared {@code BoundedOutbox}, one frame is
 * always accepted when nothing is pending, whatever its size. This is the shared outbox's rule on
 * Netty's own count rather than the shared outbox itself, so that the bytes the channel holds are
 * counted where Netty keeps them.
 *
 * <p>The room calls {@link #offer}, {@link #close} and {@link #abort} under its lock, from any
 * thread; none of them blocks for longer than a drain's swap.
 */
final class ChannelOutbox implements Outbox {

    private enum State { OPEN, CLOSING, ABORTED }

    /** What {@link #pendingInChannel} says of a channel Netty is closing. */
    private static final long CHANNEL_CLOSING = -1;

    private final Channel channel;
    private final long limit;
    private final Runnable onClose;
    private final Runnable drain = this::drain;
    private volatile State state = State.OPEN;

    // Guarded by this: what the room offered and the loop has not taken yet.
    private Burst queued;
    private long queuedBytes;
    private boolean drainScheduled;
    private boolean closeQueued;

    // Only the channel's loop touches it: the burst the last drain took, empty, to trade for the next.
    private Burst spare;

    /**
     * @param limit    the outbound limit, also the channel's high water mark
     * @param newBurst makes the two bursts this outbox trades: how it hands frames to Netty
     * @param onClose  run on the channel's loop once the room has closed this outbox, after every
     *                 frame offered before the close has been written to the channel
     */
    ChannelOutbox(Channel channel, long limit, Supplier<Burst> newBurst, Runnable onClose) {
        this.channel = channel;
        this.limit = limit;
        this.queued = newBurst.get();
        this.spare = newBurst.get();
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
        long inChannel = pendingInChannel();
        if (inChannel == CHANNEL_CLOSING) {
            return true; // closed while we looked: its own leave is on its way, and it is not slow
        }
        synchronized (this) {
            long unwritten = queuedBytes + inChannel;
            if (unwritten > 0 && unwritten + frame.wireLength() > limit) {
                return false;
            }
            queued.add(frame);
            queuedBytes += frame.wireLength();
            scheduleDrainLocked();
        }
        return true;
    }

    @Override
    public void close() {
        if (state != State.OPEN) {
            return;
        }
        state = State.CLOSING;
        synchronized (this) {
            closeQueued = true;
            scheduleDrainLocked();
        }
    }

    @Override
    public void abort() {
        if (state == State.ABORTED) {
            return;
        }
        state = State.ABORTED;
        synchronized (this) {
            queued.discard(); // a drain writes nothing any more
        }
        // Thread-safe: Netty runs the close on the channel's loop.
        channel.close();
    }

    /** Bytes the channel holds and the socket has not taken yet, as Netty counts them. */
    private long pendingInChannel() {
        if (!channel.isWritable()) {
            // Closing a channel, Netty first lets go of its outbound buffer, and only then of the
            // socket: in between, isOpen() still says yes and isWritable() no, which is not slowness.
            // The room offers from any loop, so it can look in that moment (a client's reset racing
            // a notice from another loop).
            return channel.unsafe().outboundBuffer() == null ? CHANNEL_CLOSING : limit + 1;
        }
        // Netty says how far below the high water mark (the limit) it is; one past it flips writability.
        return Math.max(0, limit + 1 - channel.bytesBeforeUnwritable());
    }

    private void scheduleDrainLocked() {
        if (!drainScheduled) {
            drainScheduled = true;
            channel.eventLoop().execute(drain);
        }
    }

    /** On the channel's loop: writes everything queued, flushes once, then runs a queued close. */
    private void drain() {
        Burst burst;
        long burstBytes;
        boolean close;
        synchronized (this) {
            // Cleared here: an offer that comes after the swap schedules the next drain itself.
            drainScheduled = false;
            burst = queued;
            queued = spare;
            burstBytes = queuedBytes;
            close = closeQueued;
            closeQueued = false;
        }
        if (state == State.ABORTED) {
            burst.discard();
        } else if (!burst.isEmpty()) {
            burst.writeTo(channel);
        }
        spare = burst;
        synchronized (this) {
            // Only now: from here on Netty counts these bytes, until the socket has taken them.
            queuedBytes -= burstBytes;
        }
        if (close) {
            onClose.run();
        }
    }
}

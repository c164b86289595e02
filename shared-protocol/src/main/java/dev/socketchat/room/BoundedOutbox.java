package dev.socketchat.room;

import dev.socketchat.protocol.Frame;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A member's outbound queue, bounded in bytes: the frames the room has handed over and the server
 * has not yet written.
 *
 * <p>The room offers frames from any thread and never waits. A writer takes them out in batches,
 * either blocking ({@link #take()}, for a writer thread per connection) or not ({@link #poll()},
 * for an event loop), writes each batch with as few system calls as it can, and then reports the
 * bytes as {@linkplain #written(long) written}. Bytes count against the limit from the moment they
 * are offered until they are reported written, so a writer stuck in a blocking write still counts
 * what it holds.
 *
 * <pre>
 * offer ──► [ frame | frame | frame ]  ──take/poll──► writer ──► socket
 *            └─ queued bytes ≤ limit ─┘                   └── written(n) ──┘
 * </pre>
 *
 * <p>One frame is always accepted into an empty outbox, whatever its size: a member is slow when a
 * backlog builds up, not because one message is large.
 */
public final class BoundedOutbox implements Outbox {

    private enum State { OPEN, CLOSING, ABORTED }

    private final long limit;
    private final Runnable onReady;
    private final Runnable onAbort;

    // Guards every field below; held only for queue operations, never during I/O.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Frame> queue = new ArrayDeque<>();
    private long queuedBytes;
    private State state = State.OPEN;

    /**
     * @param limit   the most bytes that may wait to be written
     * @param onReady called, outside the lock, when a frame arrives in an empty queue or a close is
     *                requested: an event loop registers its interest in writing here
     * @param onAbort called once, outside the lock, when the outbox is aborted: the server closes
     *                the connection here, which also unblocks a writer stuck in a blocking write
     */
    public BoundedOutbox(long limit, Runnable onReady, Runnable onAbort) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.limit = limit;
        this.onReady = onReady;
        this.onAbort = onAbort;
    }

    /** An outbox for a blocking writer thread, which needs no signal beyond {@link #take()}. */
    public BoundedOutbox(long limit, Runnable onAbort) {
        this(limit, () -> { }, onAbort);
    }

    @Override
    public boolean offer(Frame frame) {
        boolean wasIdle;
        lock.lock();
        try {
            if (state != State.OPEN) {
                // The member is already leaving: nothing more is written, and it is not slow.
                return true;
            }
            if (queuedBytes > 0 && queuedBytes + frame.wireLength() > limit) {
                return false;
            }
            wasIdle = queue.isEmpty();
            queue.addLast(frame);
            queuedBytes += frame.wireLength();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (wasIdle) {
            onReady.run();
        }
        return true;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (state != State.OPEN) {
                return;
            }
            state = State.CLOSING;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        onReady.run();
    }

    @Override
    public void abort() {
        lock.lock();
        try {
            if (state == State.ABORTED) {
                return;
            }
            state = State.ABORTED;
            queue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        onAbort.run();
    }

    /**
     * Blocks until frames are queued, then takes all of them.
     *
     * @return the queued frames in order; an empty list once the outbox is closed and drained, or
     *         aborted: the writer is done and closes the connection
     */
    public List<Frame> take() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty() && state == State.OPEN) {
                changed.await();
            }
            return drainLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Takes every queued frame without waiting; the list is empty when nothing is queued. */
    public List<Frame> poll() {
        lock.lock();
        try {
            return drainLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Reports bytes of taken frames as written: they no longer count against the limit. */
    public void written(long bytes) {
        lock.lock();
        try {
            queuedBytes = Math.max(0, queuedBytes - bytes);
        } finally {
            lock.unlock();
        }
    }

    /** Whether a close was requested and every frame queued before it has been taken. */
    public boolean isDrained() {
        lock.lock();
        try {
            return state != State.OPEN && queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the outbox was aborted: the member was dropped. */
    public boolean isAborted() {
        lock.lock();
        try {
            return state == State.ABORTED;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes offered and not yet reported written. */
    public long queuedBytes() {
        lock.lock();
        try {
            return queuedBytes;
        } finally {
            lock.unlock();
        }
    }

    private List<Frame> drainLocked() {
        if (state == State.ABORTED || queue.isEmpty()) {
            return List.of();
        }
        List<Frame> batch = new ArrayList<>(queue);
        queue.clear();
        return batch;
    }
}

package dev.socketchat.nio;

import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Work for an event loop from other threads: a queue, and a wakeup for the loop's selector that is
 * sent at most once until the loop has run what the queue holds.
 *
 * <p>A {@code selector.wakeup()} is a system call (a write to an eventfd or a pipe) and costs the
 * loop a turn. Waking the loop for every task would make a broadcast of one frame to a thousand
 * clients on another loop a thousand wakeups. The flag {@code wakenUp} (named after Netty's, which
 * does the same) lets the first task after a drain wake the loop and every later one ride along:
 * <pre>
 *   other threads                       the loop's thread
 *   execute(a): queue a, flag false→true, wakeup()      select() returns
 *   execute(b): queue b, flag already true             runAll(): flag true→false, run a, run b
 *   execute(c): queue c, flag false→true, wakeup()      (the next select() returns at once)
 * </pre>
 * The loop clears the flag <em>before</em> it empties the queue: a task queued after the clear either
 * is seen by that same drain, or finds the flag clear and wakes the loop again; none is left waiting
 * in the queue of a loop asleep in {@code select()}.
 *
 * <p>{@link #execute} may be called from any thread; {@link #runAll} only by the loop's.
 */
public final class LoopInbox {

    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakenUp = new AtomicBoolean();
    // Counted only when a wakeup is sent, so it costs nothing on the path of the tasks that ride along.
    private final AtomicLong wakeups = new AtomicLong();

    public LoopInbox(Selector selector) {
        this.selector = selector;
    }

    /** Queues {@code task} for the loop and wakes the loop, unless a wakeup is already on its way. Never blocks. */
    public void execute(Runnable task) {
        tasks.add(task);
        // Reading first keeps the common case (a wakeup already sent) free of a write to a shared line.
        if (!wakenUp.get() && wakenUp.compareAndSet(false, true)) {
            wakeups.incrementAndGet();
            selector.wakeup();
        }
    }

    /** Runs every queued task, those queued while it runs included. On the loop's thread, once per turn. */
    public void runAll() {
        wakenUp.set(false);
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
            task.run();
        }
    }

    /** How many times {@link #execute} has woken the selector: lets tests check the bound. */
    public long wakeups() {
        return wakeups.get();
    }
}

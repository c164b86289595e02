package dev.socketchat.nio;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Work for an event loop from other threads: a queue, and a wakeup for the loop (its selector's
 * {@code wakeup()}) that is sent at most once until the loop has run what the queue holds.
 *
 * <p>A {@code selector.wakeup()} takes a lock inside the selector, which the loop's thread takes too
 * on its way out of {@code select()}, and writes to an eventfd (a system call) unless a wakeup is
 * still pending. Waking the loop for every task would make a broadcast of one frame to a thousand
 * clients on another loop a thousand trips through that lock. The flag {@code wakenUp} (named after
 * Netty's, which does the same) lets the first task after a drain wake the loop and every later one
 * ride along for the price of reading a flag:
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
final class LoopInbox {

    private final Runnable wakeup;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakenUp = new AtomicBoolean();

    /**
     * @param wakeup makes the loop's blocking wait return, such as {@code selector::wakeup}: all the
     *               inbox knows of its loop, so that the bound on wakeups can be checked without one
     */
    LoopInbox(Runnable wakeup) {
        this.wakeup = wakeup;
    }

    /** Queues {@code task} for the loop and wakes the loop, unless a wakeup is already on its way. Never blocks. */
    void execute(Runnable task) {
        tasks.add(task);
        // Reading first keeps the common case (a wakeup already sent) free of a write to a shared line.
        if (!wakenUp.get() && wakenUp.compareAndSet(false, true)) {
            wakeup.run();
        }
    }

    /** Runs every queued task, those queued while it runs included. On the loop's thread, once per turn. */
    void runAll() {
        wakenUp.set(false);
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
            task.run();
        }
    }
}

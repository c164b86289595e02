package dev.socketchat.asyncchannels;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The open connections, as the timer thread sweeps them and as {@code stop()} waits for them to
 * close. Connections are added by accept handlers and removed by whichever thread closes them, so
 * the set is concurrent; iterating it is weakly consistent, which is all a sweep needs.
 */
final class Connections {

    private final Set<AsyncConnection> open = ConcurrentHashMap.newKeySet();
    // Only for awaitEmpty(): signalled when the last connection closes.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition empty = lock.newCondition();

    void add(AsyncConnection connection) {
        open.add(connection);
    }

    /** Called by {@link AsyncConnection#close()}, possibly with the room's lock held: does nothing slow. */
    void remove(AsyncConnection connection) {
        if (open.remove(connection) && open.isEmpty()) {
            lock.lock();
            try {
                empty.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** How many are open, members and leavers alike: what the connection budget counts. */
    int size() {
        return open.size();
    }

    Iterable<AsyncConnection> all() {
        return open;
    }

    /**
     * Waits until no connection is open or {@code nanos} have passed.
     *
     * @return whether every connection closed in time
     */
    boolean awaitEmpty(long nanos) {
        boolean interrupted = false;
        lock.lock();
        try {
            long deadline = System.nanoTime() + nanos;
            long left;
            while (!open.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
                try {
                    empty.awaitNanos(left);
                } catch (InterruptedException e) {
                    // stop() must not return early: the threads it is about to end still serve clients.
                    interrupted = true;
                }
            }
            return open.isEmpty();
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return open.size() + " open";
    }
}

package dev.socketchat.server;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Thread chores that every blocking lesson needs and none of them teaches.
 *
 * <p>Every wait here ignores interruption and sets the caller's interrupt flag again on return. A
 * server's {@code stop()} must not return while a thread of the server still runs, and a caller
 * whose flag is already set (a shutdown hook, a test's cancelled task) would otherwise see every
 * {@code join} or {@code await} throw at once and return with the server's threads still running.
 */
public final class Threads {

    /** A deadline of 0 means: wait as long as it takes. */
    public static final long FOREVER = 0;

    private Threads() {
    }

    /** Waits until {@code thread} has ended, even if the caller is interrupted meanwhile. */
    public static void joinUninterruptibly(Thread thread) {
        joinUninterruptibly(thread, FOREVER);
    }

    /**
     * Waits until {@code thread} has ended or {@code deadline} (a {@link System#nanoTime()} value, or
     * {@link #FOREVER}) has passed, even if the caller is interrupted meanwhile.
     *
     * @return whether the thread has ended
     */
    public static boolean joinUninterruptibly(Thread thread, long deadline) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (deadline == FOREVER) {
                        thread.join();
                        return true;
                    }
                    long remaining = deadline - System.nanoTime();
                    return remaining > 0 ? thread.join(Duration.ofNanos(remaining)) : !thread.isAlive();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits until {@code latch} reaches zero or {@code deadline} (a {@link System#nanoTime()} value,
     * or {@link #FOREVER}) has passed, even if the caller is interrupted meanwhile.
     *
     * @return whether the latch reached zero
     */
    public static boolean awaitUninterruptibly(CountDownLatch latch, long deadline) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (deadline == FOREVER) {
                        latch.await();
                        return true;
                    }
                    return latch.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits {@code nanos} (a client's pause for going over its rate), returning early if the caller
     * is interrupted, whose flag stays set: an interrupt means the server is stopping.
     */
    public static void pause(long nanos) {
        long deadline = System.nanoTime() + nanos;
        long remaining = nanos;
        while (remaining > 0 && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(remaining);
            remaining = deadline - System.nanoTime();
        }
    }
}

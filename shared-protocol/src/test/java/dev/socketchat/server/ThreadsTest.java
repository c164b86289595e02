package dev.socketchat.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The waits a server's stop() relies on: a caller whose interrupt flag is set still waits, and gets
 * its flag back. The thread waited for is held by a latch the test opens only once the caller is
 * seen waiting, so a wait that returned early would be caught every time.
 */
@Timeout(30)
class ThreadsTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private final Thread held = Thread.ofPlatform().name("held").start(() -> {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    });

    @AfterEach
    void releaseTheHeldThread() throws InterruptedException {
        release.countDown();
        held.join();
    }

    @Test
    void joinWaitsForTheThreadWhenTheCallerIsInterruptedAndKeepsTheFlag() throws Exception {
        Thread.currentThread().interrupt();
        Thread opener = openOnceWaiting(Thread.currentThread());

        Threads.joinUninterruptibly(held);

        assertThat(held.isAlive()).isFalse();
        assertThat(Thread.interrupted()).as("the flag, set again on return").isTrue();
        opener.join();
    }

    @Test
    void timedJoinWaitsUntilItsDeadlineWhenTheCallerIsInterrupted() {
        Thread.currentThread().interrupt();
        long start = System.nanoTime();

        boolean ended = Threads.joinUninterruptibly(held, start + Duration.ofMillis(200).toNanos());

        assertThat(ended).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(Thread.interrupted()).as("the flag, set again on return").isTrue();
    }

    @Test
    void awaitWaitsForTheLatchWhenTheCallerIsInterruptedAndKeepsTheFlag() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        Thread.currentThread().interrupt();
        Thread.ofPlatform().start(() -> {
            Threads.joinUninterruptibly(held);
            done.countDown();
        });
        Thread opener = openOnceWaiting(Thread.currentThread());

        assertThat(Threads.awaitUninterruptibly(done, Threads.FOREVER)).isTrue();

        assertThat(Thread.interrupted()).as("the flag, set again on return").isTrue();
        opener.join();
    }

    @Test
    void timedAwaitWaitsUntilItsDeadlineWhenTheCallerIsInterrupted() {
        Thread.currentThread().interrupt();
        long start = System.nanoTime();

        boolean reachedZero = Threads.awaitUninterruptibly(new CountDownLatch(1),
                start + Duration.ofMillis(200).toNanos());

        assertThat(reachedZero).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(Thread.interrupted()).as("the flag, set again on return").isTrue();
    }

    /** Opens the latch once {@code waiter} is seen parked in its wait, not before. */
    private Thread openOnceWaiting(Thread waiter) {
        return Thread.ofPlatform().start(() -> {
            while (waiter.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            release.countDown();
        });
    }
}

package dev.socketchat.room;

import dev.socketchat.protocol.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class BoundedOutboxTest {

    /** Every test frame costs 64 + 5 = 69 bytes. */
    private static final Frame A = Frame.of("aaaaa");
    private static final Frame B = Frame.of("bbbbb");
    private static final Frame C = Frame.of("ccccc");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final AtomicInteger ready = new AtomicInteger();
    private final AtomicInteger aborted = new AtomicInteger();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "writer"));
    private final AtomicReference<Thread> writerThread = new AtomicReference<>();

    @AfterEach
    void stopWriter() throws InterruptedException {
        writer.shutdownNow();
        assertThat(writer.awaitTermination(30, TimeUnit.SECONDS)).as("writer thread ended").isTrue();
    }

    private BoundedOutbox outbox(long limit) {
        return new BoundedOutbox(limit, ready::incrementAndGet, aborted::incrementAndGet);
    }

    @Test
    void acceptsFramesUpToItsLimitInBytesAndRefusesTheOneThatWouldPassIt() {
        BoundedOutbox outbox = outbox(200);

        assertThat(outbox.offer(A)).isTrue();
        assertThat(outbox.offer(B)).isTrue();
        assertThat(outbox.offer(C)).as("207 bytes against a limit of 200").isFalse();
        assertThat(outbox.queuedBytes()).isEqualTo(138);
        assertThat(outbox.poll()).containsExactly(A, B);
    }

    @Test
    void acceptsAFrameThatFillsItsLimitExactly() {
        BoundedOutbox outbox = outbox(138);

        assertThat(outbox.offer(A)).isTrue();
        assertThat(outbox.offer(B)).isTrue();
    }

    @Test
    void alwaysAcceptsOneFrameIntoAnEmptyOutboxWhateverItsSize() {
        BoundedOutbox outbox = outbox(10);

        assertThat(outbox.offer(Frame.of("x".repeat(10_000)))).isTrue();
        assertThat(outbox.offer(A)).as("a second frame behind an oversized one").isFalse();
    }

    @Test
    void countsTakenFramesUntilTheyAreReportedWritten() {
        BoundedOutbox outbox = outbox(150);
        outbox.offer(A);
        outbox.offer(B);

        assertThat(outbox.poll()).containsExactly(A, B);
        assertThat(outbox.offer(C)).as("while A and B are still being written").isFalse();

        outbox.written(69);

        assertThat(outbox.queuedBytes()).isEqualTo(69);
        assertThat(outbox.offer(C)).as("once A is written").isTrue();
    }

    @Test
    void neverCountsBelowZeroWhenMoreIsReportedWrittenThanWasQueued() {
        BoundedOutbox outbox = outbox(100);
        outbox.offer(A);

        outbox.written(1_000);

        assertThat(outbox.queuedBytes()).isZero();
    }

    @Test
    void pollTakesEverythingQueuedInOrderAndNothingWhenEmpty() {
        BoundedOutbox outbox = outbox(1_000);
        outbox.offer(A);
        outbox.offer(B);

        assertThat(outbox.poll()).containsExactly(A, B);
        assertThat(outbox.poll()).isEmpty();
    }

    @Test
    void takeBlocksUntilAFrameIsOffered() throws Exception {
        BoundedOutbox outbox = outbox(1_000);
        CompletableFuture<List<Frame>> taken = takeOnWriterThread(outbox);
        awaitWriterBlocked();

        assertThat(taken).isNotDone();
        outbox.offer(A);

        assertThat(taken.get(30, TimeUnit.SECONDS)).containsExactly(A);
    }

    @Test
    void takeReturnsEverythingAlreadyQueuedWithoutBlocking() throws InterruptedException {
        BoundedOutbox outbox = outbox(1_000);
        outbox.offer(A);
        outbox.offer(B);

        assertThat(outbox.take()).containsExactly(A, B);
    }

    @Test
    void closeLetsQueuedFramesDrainThenTakeReturnsEmpty() throws InterruptedException {
        BoundedOutbox outbox = outbox(1_000);
        outbox.offer(A);
        outbox.offer(B);

        outbox.close();

        assertThat(outbox.isDrained()).isFalse();
        assertThat(outbox.take()).containsExactly(A, B);
        assertThat(outbox.isDrained()).isTrue();
        assertThat(outbox.take()).isEmpty();
    }

    @Test
    void closeWakesAWriterBlockedInTake() throws Exception {
        BoundedOutbox outbox = outbox(1_000);
        CompletableFuture<List<Frame>> taken = takeOnWriterThread(outbox);
        awaitWriterBlocked();

        outbox.close();

        assertThat(taken.get(30, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void queuesNothingOfferedAfterCloseYetDoesNotCallTheMemberSlow() {
        BoundedOutbox outbox = outbox(100);
        outbox.offer(A);
        outbox.close();

        assertThat(outbox.offer(B)).isTrue();
        assertThat(outbox.offer(C)).isTrue();
        assertThat(outbox.poll()).containsExactly(A);
        assertThat(outbox.queuedBytes()).isEqualTo(69);
    }

    @Test
    void abortDiscardsWhatIsQueuedAndCallsOnAbortOnce() throws InterruptedException {
        BoundedOutbox outbox = outbox(1_000);
        outbox.offer(A);

        outbox.abort();
        outbox.abort();

        assertThat(outbox.isAborted()).isTrue();
        assertThat(outbox.poll()).isEmpty();
        assertThat(outbox.take()).isEmpty();
        assertThat(aborted).hasValue(1);
    }

    @Test
    void abortWakesAWriterBlockedInTake() throws Exception {
        BoundedOutbox outbox = outbox(1_000);
        CompletableFuture<List<Frame>> taken = takeOnWriterThread(outbox);
        awaitWriterBlocked();

        outbox.abort();

        assertThat(taken.get(30, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void abortAfterCloseStillCutsTheConnectionAndDiscardsTheRest() {
        BoundedOutbox outbox = outbox(1_000);
        outbox.offer(A);
        outbox.close();

        outbox.abort();

        assertThat(aborted).hasValue(1);
        assertThat(outbox.poll()).isEmpty();
    }

    @Test
    void offeringToAnAbortedOutboxQueuesNothing() {
        BoundedOutbox outbox = outbox(1_000);
        outbox.abort();

        assertThat(outbox.offer(A)).isTrue();
        assertThat(outbox.poll()).isEmpty();
        assertThat(outbox.queuedBytes()).isZero();
    }

    @Test
    void signalsReadyWhenAFrameArrivesInAnEmptyQueueOnly() {
        BoundedOutbox outbox = outbox(1_000);

        outbox.offer(A);
        outbox.offer(B);
        assertThat(ready).as("after two offers into one backlog").hasValue(1);

        outbox.poll();
        outbox.offer(C);
        assertThat(ready).as("after an offer into the emptied queue").hasValue(2);
    }

    @Test
    void signalsReadyOnceWhenClosedSoAnEventLoopCanFinish() {
        BoundedOutbox outbox = outbox(1_000);

        outbox.close();
        outbox.close();

        assertThat(ready).hasValue(1);
    }

    @Test
    void signalsNothingWhenClosedAfterAnAbort() {
        BoundedOutbox outbox = outbox(1_000);
        outbox.abort();

        outbox.close();

        assertThat(ready).hasValue(0);
        assertThat(outbox.isAborted()).isTrue();
    }

    @Test
    void isNotDrainedWhileOpenEvenWhenEmpty() {
        assertThat(outbox(1_000).isDrained()).isFalse();
    }

    @Test
    void refusesALimitBelowOneByte() {
        assertThatThrownBy(() -> new BoundedOutbox(0, () -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
    }

    private CompletableFuture<List<Frame>> takeOnWriterThread(BoundedOutbox outbox) {
        CompletableFuture<List<Frame>> taken = new CompletableFuture<>();
        writer.execute(() -> {
            writerThread.set(Thread.currentThread());
            try {
                taken.complete(outbox.take());
            } catch (Throwable e) {
                taken.completeExceptionally(e);
            }
        });
        return taken;
    }

    /** Waits until the writer thread is parked inside take(): nobody else holds the outbox's lock. */
    private void awaitWriterBlocked() {
        await().atMost(PATIENCE).until(() -> {
            Thread thread = writerThread.get();
            return thread != null && thread.getState() == Thread.State.WAITING;
        });
    }
}

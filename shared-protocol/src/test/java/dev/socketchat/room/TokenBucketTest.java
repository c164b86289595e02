package dev.socketchat.room;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;
    private static final Duration BOUND = Duration.ofSeconds(60);

    private final AtomicLong clock = new AtomicLong(42 * SECOND);

    @Test
    void readsOnThroughABurstAndPausesForOneTokenAfterIt() {
        TokenBucket bucket = new TokenBucket(10, 5, BOUND, clock::get);

        for (int frame = 1; frame < 5; frame++) {
            assertThat(bucket.take()).as("frame %d", frame).isEqualTo(new TokenBucket.Verdict(0, false, false));
        }
        TokenBucket.Verdict last = bucket.take();

        assertThat(last.pauseNanos()).as("one token at 10 a second").isEqualTo(SECOND / 10);
        assertThat(last.warn()).isTrue();
        assertThat(last.disconnect()).isFalse();
    }

    @Test
    void framesReadTogetherAreAllPaidForWithALongerPause() {
        TokenBucket bucket = new TokenBucket(10, 1, BOUND, clock::get);

        bucket.take();
        bucket.take();
        TokenBucket.Verdict third = bucket.take();

        assertThat(third.pauseNanos()).as("two frames of debt, then the token to read the next").isEqualTo(3 * SECOND / 10);
        assertThat(third.warn()).as("the hold began with the first pause").isFalse();
    }

    @Test
    void refillsAtItsRateAndNeverAboveItsBurst() {
        TokenBucket bucket = new TokenBucket(10, 3, BOUND, clock::get);
        drain(bucket, 3);

        clock.addAndGet(SECOND); // ten tokens' worth of time, but the bucket holds three

        assertThat(bucket.take().pauseNanos()).isZero();
        assertThat(bucket.take().pauseNanos()).isZero();
        assertThat(bucket.take().pauseNanos()).isEqualTo(SECOND / 10);
    }

    @Test
    void warnsOncePerHoldAndAgainOnlyAfterTheBucketWasFull() {
        TokenBucket bucket = new TokenBucket(10, 2, BOUND, clock::get);
        assertThat(drain(bucket, 2).warn()).isTrue();
        clock.addAndGet(SECOND / 10);
        assertThat(bucket.take().warn()).as("still held: the bucket never refilled").isFalse();

        clock.addAndGet(SECOND); // full again: the hold is over
        bucket.take();

        assertThat(bucket.take().warn()).as("a new hold").isTrue();
    }

    @Test
    void disconnectsAClientHeldBackForLongerThanTheBound() {
        TokenBucket bucket = new TokenBucket(10, 2, Duration.ofSeconds(5), clock::get);
        drain(bucket, 2);
        // Sends exactly as fast as it is let in for the whole bound: it is never full again.
        for (int step = 0; step < 50; step++) {
            clock.addAndGet(SECOND / 10);
            assertThat(bucket.take().disconnect()).as("%d ms into the hold", (step + 1) * 100).isFalse();
        }

        clock.addAndGet(SECOND / 10);

        assertThat(bucket.take().disconnect()).isTrue();
    }

    private static TokenBucket.Verdict drain(TokenBucket bucket, int frames) {
        TokenBucket.Verdict verdict = null;
        for (int i = 0; i < frames; i++) {
            verdict = bucket.take();
        }
        return verdict;
    }
}

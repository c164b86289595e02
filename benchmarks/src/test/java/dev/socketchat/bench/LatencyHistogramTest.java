package dev.socketchat.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyHistogramTest {

    @Test
    void smallValuesAreExact() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long value = 1; value <= 50; value++) {
            histogram.record(value);
        }

        assertThat(histogram.valueAt(0.5)).isEqualTo(25);
        assertThat(histogram.valueAt(1.0)).isEqualTo(50);
        assertThat(histogram.count()).isEqualTo(50);
    }

    @Test
    void everyValueFallsInABucketThatHoldsItWithinOneThirtySecond() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            long value = random.nextLong(1L << random.nextInt(1, 62));
            long highest = LatencyHistogram.highestIn(LatencyHistogram.index(value));
            assertThat(highest).isGreaterThanOrEqualTo(value);
            assertThat((double) (highest - value)).isLessThanOrEqualTo(Math.max(0, value / 32.0));
        }
        assertThat(LatencyHistogram.index(Long.MAX_VALUE)).isLessThan(1888);
    }

    @Test
    void percentilesMatchSortedValuesWithinTheBucketError() {
        SplittableRandom random = new SplittableRandom(7);
        long[] values = random.longs(10_000, 1_000, 50_000_000).toArray();
        LatencyHistogram histogram = new LatencyHistogram();
        Arrays.stream(values).forEach(histogram::record);
        Arrays.sort(values);

        for (double quantile : new double[] {0.5, 0.99, 0.999}) {
            long exact = values[(int) Math.ceil(quantile * values.length) - 1];
            assertThat((double) histogram.valueAt(quantile)).as("p" + quantile)
                    .isCloseTo(exact, within(exact / 32.0 + 1));
        }
    }

    @Test
    void aCopyKeepsWhatWasRecordedAfterTheOriginalIsReset() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(1_000);
        LatencyHistogram copy = histogram.copy();
        histogram.reset();

        assertThat(histogram.count()).isZero();
        assertThat(histogram.valueAt(0.99)).isZero();
        assertThat(copy.count()).isEqualTo(1);
        assertThat(copy.valueAt(0.99)).isBetween(1_000L, 1_031L);
    }
}

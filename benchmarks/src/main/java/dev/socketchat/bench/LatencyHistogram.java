package dev.socketchat.bench;

import java.util.Arrays;

/**
 * Counts latencies in log-linear buckets, so that percentiles come out with a bounded relative
 * error at any scale, from microseconds to seconds, in a fixed 15 KiB.
 *
 * <p>Values below 64 ns get a bucket each. Above that, every power of two is split into 32 equal
 * buckets: a value is known to within 1/32 of itself (3.1%).
 *
 * <pre>
 * value (ns)     bucket width    index
 *   0 ..   63         1          0 .. 63
 *  64 ..  127         2         64 .. 95
 * 128 ..  255         4         96 .. 127
 *   1 ms ~ 2^20     2^15        ~ 512
 * </pre>
 *
 * <p>A percentile reports the upper bound of the bucket it falls in, so it never understates.
 *
 * <p>Not thread-safe: one thread records (the client driver's loop), and others read a
 * {@link #copy()} that the recording thread made.
 */
public final class LatencyHistogram {

    private static final int SUB_BITS = 5;
    private static final int SUB_BUCKETS = 1 << SUB_BITS;
    private static final int LINEAR_LIMIT = 2 * SUB_BUCKETS;
    private static final int BUCKETS = (Long.SIZE - 2 - SUB_BITS) * SUB_BUCKETS + 2 * SUB_BUCKETS;

    private final long[] counts;
    private long total;

    /** An empty histogram. */
    public LatencyHistogram() {
        this(new long[BUCKETS], 0);
    }

    private LatencyHistogram(long[] counts, long total) {
        this.counts = counts;
        this.total = total;
    }

    /** Counts one latency; negative values (a clock that went backwards) count as 0. */
    public void record(long nanos) {
        counts[index(Math.max(0, nanos))]++;
        total++;
    }

    long count() {
        return total;
    }

    /**
     * The latency that {@code quantile} of the recorded ones do not exceed, for example 0.99 for the
     * 99th percentile: the upper bound of its bucket, in nanoseconds. 0 if nothing was recorded.
     */
    public long valueAt(double quantile) {
        if (quantile < 0 || quantile > 1) {
            throw new IllegalArgumentException("quantile must be between 0 and 1: " + quantile);
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return highestIn(i);
            }
        }
        throw new IllegalStateException("counts do not add up to " + total);
    }

    void reset() {
        Arrays.fill(counts, 0);
        total = 0;
    }

    LatencyHistogram copy() {
        return new LatencyHistogram(counts.clone(), total);
    }

    static int index(long value) {
        if (value < LINEAR_LIMIT) {
            return (int) value;
        }
        int shift = (Long.SIZE - 1 - Long.numberOfLeadingZeros(value)) - SUB_BITS;
        int sub = (int) (value >>> shift); // between SUB_BUCKETS and 2 * SUB_BUCKETS - 1
        return shift * SUB_BUCKETS + sub;
    }

    static long highestIn(int index) {
        if (index < LINEAR_LIMIT) {
            return index;
        }
        int shift = index / SUB_BUCKETS - 1;
        long sub = index % SUB_BUCKETS + SUB_BUCKETS;
        return ((sub + 1) << shift) - 1;
    }
}

package dev.socketchat.room;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One client's message rate (docs/protocol.md §7): a bucket of {@code burst} tokens that refills at
 * {@code ratePerSecond}, one token per frame read. While the bucket holds a token the server reads
 * on; once it is empty the server stops reading from that client until a token has grown back, so
 * the excess waits in the client's socket and TCP pushes back on the sender. How to stop reading is
 * each model's business; this class only says for how long.
 *
 * <p>A model may hand over a frame or two more before its reading stops (Netty's decoder finishes
 * the frame it is on). Those are paid for too: the bucket goes into debt, and the pause lasts
 * until the debt is paid back, so the average rate holds however the frames arrive.
 *
 * <p>A <em>hold</em> is the time from the first pause until the bucket is full again. Its first
 * pause is to be answered with {@code !error slow down}, once; a hold longer than {@code bound}
 * means a client that will not slow down, and it is to be disconnected.
 *
 * <p>Pure: time comes from the clock given (nanoseconds, as {@link System#nanoTime()}). Not thread
 * safe: one connection reads one frame at a time.
 */
public final class TokenBucket {

    /**
     * What the server does after the frame just read.
     *
     * @param pauseNanos how long to wait before reading this client again; 0 to read on
     * @param warn       whether this pause begins a hold: the client is to be told to slow down
     * @param disconnect whether the client has been held back longer than the bound
     */
    public record Verdict(long pauseNanos, boolean warn, boolean disconnect) {
        static final Verdict READ_ON = new Verdict(0, false, false);
    }

    private static final long NOT_HELD = Long.MIN_VALUE;
    private static final double NANOS_PER_SECOND = 1e9;

    private final double ratePerNano;
    private final double burst;
    private final long boundNanos;
    private final LongSupplier clock;
    private double tokens;
    private long refilledAt;
    private long heldSince = NOT_HELD;

    public TokenBucket(int ratePerSecond, int burst, Duration bound, LongSupplier clock) {
        if (ratePerSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be at least 1: " + ratePerSecond + ", " + burst);
        }
        this.ratePerNano = ratePerSecond / NANOS_PER_SECOND;
        this.burst = burst;
        this.boundNanos = bound.toNanos();
        this.clock = clock;
        this.tokens = burst;
        this.refilledAt = clock.getAsLong();
    }

    /** Pays one token for a frame just read, and says whether, and how long, to wait before the next. */
    public Verdict take() {
        long now = clock.getAsLong();
        tokens = Math.min(burst, tokens + (now - refilledAt) * ratePerNano);
        refilledAt = now;
        if (tokens >= burst) {
            heldSince = NOT_HELD; // full again: whatever hold there was is over
        }
        tokens -= 1;
        if (tokens >= 1) {
            return Verdict.READ_ON;
        }
        long pause = (long) Math.ceil((1 - tokens) / ratePerNano);
        boolean warn = heldSince == NOT_HELD;
        if (warn) {
            heldSince = now;
        }
        return new Verdict(pause, warn, now - heldSince > boundNanos);
    }
}

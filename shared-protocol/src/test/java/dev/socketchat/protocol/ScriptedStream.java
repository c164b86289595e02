package dev.socketchat.protocol;

import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for a socket's input stream that plays a script of what the peer does, and obeys the
 * read timeout that a {@link FrameReader} sets through {@link #readTimeout()} the way a socket does:
 * a read that would wait longer than the timeout throws {@link SocketTimeoutException}.
 *
 * <p>No step waits for real except {@link Trickle}, which spins for a few milliseconds per byte so
 * that a deadline can pass between reads.
 */
final class ScriptedStream extends InputStream {

    /** One thing the peer does. */
    sealed interface Step permits Bytes, Pause, Trickle {
    }

    /** The bytes are there at once: a read returns as many as it asks for. */
    record Bytes(byte[] bytes) implements Step {
    }

    /** The peer goes quiet for longer than any timeout: a read with a timeout times out, one without waits it out. */
    record Pause() implements Step {
    }

    /** The peer sends one byte every {@code perByte}. */
    record Trickle(Duration perByte, byte[] bytes) implements Step {
    }

    private final List<Step> steps;
    private final List<Integer> timeoutsInForce = new ArrayList<>();
    private int step;
    private int offset;
    private int timeoutMillis;

    ScriptedStream(Step... steps) {
        this.steps = List.of(steps);
    }

    static Bytes bytes(byte[] bytes) {
        return new Bytes(bytes);
    }

    static Pause pause() {
        return new Pause();
    }

    /** Applies a read timeout as {@code Socket.setSoTimeout} does. */
    FrameReader.ReadTimeout readTimeout() {
        return millis -> timeoutMillis = millis;
    }

    /** The read timeout in force at each read, in order; 0 means none. */
    List<Integer> timeoutsInForce() {
        return timeoutsInForce;
    }

    @Override
    public int read() throws SocketTimeoutException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int from, int length) throws SocketTimeoutException {
        timeoutsInForce.add(timeoutMillis);
        while (step < steps.size()) {
            switch (steps.get(step)) {
                case Bytes(byte[] bytes) when offset < bytes.length -> {
                    int n = Math.min(length, bytes.length - offset);
                    System.arraycopy(bytes, offset, target, from, n);
                    offset += n;
                    return n;
                }
                case Pause() -> {
                    next();
                    if (timeoutMillis != 0) {
                        throw new SocketTimeoutException("Read timed out");
                    }
                }
                case Trickle(Duration perByte, byte[] bytes) when offset < bytes.length -> {
                    if (timeoutMillis != 0 && perByte.toMillis() > timeoutMillis) {
                        throw new SocketTimeoutException("Read timed out");
                    }
                    spin(perByte);
                    target[from] = bytes[offset++];
                    return 1;
                }
                default -> next();
            }
        }
        return -1;
    }

    private void next() {
        step++;
        offset = 0;
    }

    private static void spin(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }
}

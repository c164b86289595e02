package dev.socketchat.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Reads frames from a blocking stream, one whole frame per call.
 *
 * <p>A single {@code read} on a stream may return fewer bytes than asked for: one byte of a header,
 * or half a payload. (The original Python server called {@code recv(64)} once and trusted it to
 * return the whole header.) This reader keeps reading until the header, and then the payload, are
 * complete, and checks the header before it allocates the payload.
 *
 * <p>Memory follows the bytes received, not the bytes announced: a header may promise a megabyte
 * and send nothing more, so the payload's array starts small ({@value #FIRST_CHUNK} bytes at most)
 * and doubles only as it fills, up to the announced length. A connection therefore never holds much
 * more than twice what its client has actually sent, and a flood of headers that each announce the
 * maximum costs the server a few kilobytes per connection instead of the maximum each.
 *
 * <p>Over a socket it also enforces two deadlines, by setting the socket's read timeout before each
 * blocking read (a blocking read has no other way to give up):
 * <ul>
 *   <li>the <em>idle timeout</em> while it waits for the first byte of a frame;</li>
 *   <li>the <em>frame timeout</em> from a frame's first byte to its last, so a client cannot hold a
 *       connection by trickling a byte every few seconds.</li>
 * </ul>
 *
 * <p>Not thread-safe: one thread reads a connection.
 */
public final class FrameReader {

    /** Sets how long the next blocking read may wait; zero waits forever. */
    @FunctionalInterface
    public interface ReadTimeout {
        void set(int millis) throws SocketException;
    }

    /** Bytes read at once while frames arrive back to back, as a {@code BufferedInputStream} would. */
    static final int BURST_BUFFER = 8192;

    private final InputStream in;
    private final int maxPayload;
    private final ReadTimeout readTimeout;
    private final Duration idleTimeout;
    private final Duration frameTimeout;
    private final byte[] header = new byte[FrameHeader.LENGTH];

    /** The most a payload's array holds before any of its bytes have arrived. */
    static final int FIRST_CHUNK = 4096;

    /** A reader without deadlines, for streams that cannot time out (and for tests). */
    public FrameReader(InputStream in, int maxPayload) {
        this(in, maxPayload, millis -> { }, Duration.ZERO, Duration.ZERO);
    }

    /**
     * @param readTimeout  applies a read timeout to the stream, for example {@link Socket#setSoTimeout}
     * @param idleTimeout  how long to wait for the first byte of a frame; zero waits forever
     * @param frameTimeout how long a frame may take from its first byte to its last; zero waits forever
     */
    public FrameReader(InputStream in, int maxPayload, ReadTimeout readTimeout,
                       Duration idleTimeout, Duration frameTimeout) {
        this.in = in;
        this.maxPayload = maxPayload;
        this.readTimeout = readTimeout;
        this.idleTimeout = idleTimeout;
        this.frameTimeout = frameTimeout;
    }

    /**
     * A buffered reader over a socket, with the socket's read timeout driven by both deadlines. The
     * buffer exists only while a burst of input is read ({@link BurstBufferedInputStream}): a
     * connection that waits for its next frame holds none.
     */
    public static FrameReader of(Socket socket, int maxPayload, Duration idleTimeout, Duration frameTimeout)
            throws IOException {
        return new FrameReader(new BurstBufferedInputStream(socket.getInputStream(), BURST_BUFFER), maxPayload,
                socket::setSoTimeout, idleTimeout, frameTimeout);
    }

    /**
     * Blocks until a whole frame has arrived.
     *
     * @return its payload, or {@code null} if the stream ended cleanly between two frames
     * @throws IdleTimeoutException    if no byte arrived within the idle timeout
     * @throws FrameTimeoutException   if a frame started and did not finish within the frame timeout
     * @throws TruncatedFrameException if the stream ended inside a frame
     * @throws ProtocolException       for any other violation of the framing rules
     * @throws IOException             if the stream itself fails
     */
    public String read() throws IOException {
        return read(idleTimeout);
    }

    /** Like {@link #read()}, with another idle timeout for this call only. */
    public String read(Duration idleTimeout) throws IOException {
        readTimeout.set(toTimeoutMillis(idleTimeout.toNanos()));
        int first;
        try {
            // Blocks until the peer sends something: the idle wait.
            first = in.read(header, 0, FrameHeader.LENGTH);
        } catch (SocketTimeoutException e) {
            throw new IdleTimeoutException();
        }
        if (first < 0) {
            return null;
        }
        long deadline = frameTimeout.isZero() ? 0 : System.nanoTime() + frameTimeout.toNanos();
        if (deadline == 0 && !idleTimeout.isZero()) {
            // Without a frame timeout the rest of the frame may take as long as it needs: lift the idle one.
            readTimeout.set(0);
        }
        readFully(header, first, FrameHeader.LENGTH, deadline, 0);
        int payloadLength = FrameHeader.parse(header, 0, maxPayload);
        return StrictUtf8.decode(ByteBuffer.wrap(readPayload(payloadLength, deadline)));
    }

    /** Reads the payload into an array that grows, by doubling, as its bytes arrive. */
    private byte[] readPayload(int length, long deadline) throws IOException {
        byte[] payload = new byte[Math.min(length, FIRST_CHUNK)];
        int filled = 0;
        while (true) {
            readFully(payload, filled, payload.length, deadline, length);
            filled = payload.length;
            if (filled == length) {
                return payload;
            }
            payload = Arrays.copyOf(payload, (int) Math.min(length, 2L * filled));
        }
    }

    /** Fills {@code target} from {@code from} to {@code to}; {@code payloadLength} is for the error only. */
    private void readFully(byte[] target, int from, int to, long deadline, int payloadLength) throws IOException {
        int filled = from;
        while (filled < to) {
            if (deadline != 0) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new FrameTimeoutException();
                }
                readTimeout.set(toTimeoutMillis(remaining));
            }
            int n;
            try {
                n = in.read(target, filled, to - filled);
            } catch (SocketTimeoutException e) {
                throw new FrameTimeoutException();
            }
            if (n < 0) {
                int received = target == header ? filled : FrameHeader.LENGTH + filled;
                int expected = target == header ? FrameHeader.LENGTH : FrameHeader.LENGTH + payloadLength;
                throw new TruncatedFrameException(received, expected);
            }
            filled += n;
        }
    }

    /** Socket timeouts are whole milliseconds and 0 means forever, so a positive wait rounds up to at least 1. */
    private static int toTimeoutMillis(long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999)));
    }
}

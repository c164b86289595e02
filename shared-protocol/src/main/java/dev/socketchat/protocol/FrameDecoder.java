package dev.socketchat.protocol;

import java.nio.ByteBuffer;

/**
 * Decodes frames incrementally from a buffer that fills up a few bytes at a time, as non-blocking
 * reads deliver them.
 *
 * <p>The buffer is in read mode (flipped). {@link #decode(ByteBuffer)} consumes nothing until a
 * whole frame is there: while the header or the payload is incomplete it returns {@code null} and
 * leaves the position where it was, so the caller reads more bytes behind the ones it has and tries
 * again. Several frames that arrived in one read come out one call at a time.
 *
 * <pre>
 * buffer: [ "5" + 63 spaces | "hel" ]        decode -> null, position unchanged (2 bytes missing)
 * buffer: [ "5" + 63 spaces | "hello" | "0" ...]
 *                                            decode -> "hello", position advanced by 69
 * </pre>
 *
 * <p>The header is checked as soon as its 64 bytes are there, before any payload arrives, so an
 * oversized or malformed frame is refused without waiting for (or allocating) its payload. Use
 * {@link #capacityFor(ByteBuffer, int)} to size the read buffer for the frame in progress: it grows
 * the buffer with the bytes that arrive, never to what a header merely announces, so a client that
 * sends a header promising a megabyte, and then nothing, costs the server no more than its own bytes.
 *
 * <p>A decoder keeps no state between calls and may be shared; each call reads only the buffer.
 */
public final class FrameDecoder {

    private final int maxPayload;

    /**
     * @param maxPayload the largest payload accepted, in bytes; larger ones are a protocol error. At
     *                   most {@code Integer.MAX_VALUE - 64}, so that a whole frame's length fits in an int.
     */
    public FrameDecoder(int maxPayload) {
        if (maxPayload < 0 || maxPayload > Integer.MAX_VALUE - FrameHeader.LENGTH) {
            throw new IllegalArgumentException("maxPayload must be between 0 and "
                    + (Integer.MAX_VALUE - FrameHeader.LENGTH) + ": " + maxPayload);
        }
        this.maxPayload = maxPayload;
    }

    /**
     * Takes the next frame from {@code in}.
     *
     * @return the payload of the next complete frame, advancing the position past it; or
     *         {@code null}, consuming nothing, if the frame is not complete yet
     * @throws ProtocolException if the header or the payload is invalid; the connection is then
     *                           beyond repair and the buffer's content is undefined
     */
    public String decode(ByteBuffer in) throws ProtocolException {
        if (in.remaining() < FrameHeader.LENGTH) {
            return null;
        }
        int payloadLength = payloadLength(in);
        if (in.remaining() < FrameHeader.LENGTH + payloadLength) {
            return null;
        }
        int payloadStart = in.position() + FrameHeader.LENGTH;
        String payload = StrictUtf8.decode(in.slice(payloadStart, payloadLength));
        in.position(payloadStart + payloadLength);
        return payload;
    }

    /**
     * How many bytes, counted from the buffer's position, the frame in progress occupies: the header
     * length while the header is incomplete, then header plus payload.
     *
     * @throws ProtocolException if the header is complete and invalid
     */
    public int bytesNeeded(ByteBuffer in) throws ProtocolException {
        if (in.remaining() < FrameHeader.LENGTH) {
            return FrameHeader.LENGTH;
        }
        return FrameHeader.LENGTH + payloadLength(in);
    }

    /**
     * The capacity a read buffer should have before the next read, where {@code in} (read mode) holds
     * the bytes not yet decoded and {@code capacity} is the buffer's present size: the same while
     * the frame in progress fits, or while what has arrived of it fills at most half the buffer;
     * otherwise twice what has arrived, but never more than the whole frame. A buffer sized this way
     * never holds more than twice the bytes its client has sent (or its first size), whatever the
     * header announced, and still grows geometrically, so a large frame costs few copies.
     *
     * <pre>
     * capacity 4096, header announces 1 MiB, 64 bytes arrived     -> 4096  (room for more is there)
     * capacity 4096, 3000 bytes of that frame arrived             -> 6000
     * capacity 8192, header announces 5000 bytes, 4100 arrived    -> 8192  (the frame fits)
     * </pre>
     *
     * @throws ProtocolException if the header is complete and invalid
     */
    public int capacityFor(ByteBuffer in, int capacity) throws ProtocolException {
        int needed = bytesNeeded(in);
        if (needed <= capacity || in.remaining() <= capacity / 2) {
            return capacity;
        }
        return (int) Math.min(needed, 2L * in.remaining());
    }

    /** The largest frame this decoder accepts, header included: the most a read buffer must hold. */
    public int maxFrameLength() {
        return FrameHeader.LENGTH + maxPayload;
    }

    private int payloadLength(ByteBuffer in) throws ProtocolException {
        byte[] header = new byte[FrameHeader.LENGTH];
        in.get(in.position(), header);
        return FrameHeader.parse(header, 0, maxPayload);
    }
}

package dev.socketchat.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One frame, encoded once into its wire bytes: the 64-byte header, then the UTF-8 payload.
 *
 * <pre>
 * Frame.of("hello") holds 69 bytes:
 *   "5" + 63 spaces          0x35 0x20 0x20 ... 0x20   (64 bytes)
 *   "hello"                  0x68 0x65 0x6C 0x6C 0x6F  (5 bytes)
 * </pre>
 *
 * <p>A frame is immutable, so a broadcast encodes its frame once and hands the same bytes to every
 * recipient: {@link #buffer()} gives each recipient its own read-only view with its own position,
 * over one shared array.
 */
public final class Frame {

    /** The empty frame: a keepalive, never relayed and never answered. */
    public static final Frame KEEPALIVE = of("");

    private final String payload;
    private final byte[] wire;

    private Frame(String payload, byte[] wire) {
        this.payload = payload;
        this.wire = wire;
    }

    /** Encodes {@code payload} as UTF-8 behind its header. */
    public static Frame of(String payload) {
        byte[] text = payload.getBytes(StandardCharsets.UTF_8);
        byte[] wire = new byte[FrameHeader.LENGTH + text.length];
        FrameHeader.write(text.length, wire, 0);
        System.arraycopy(text, 0, wire, FrameHeader.LENGTH, text.length);
        return new Frame(payload, wire);
    }

    /** The text this frame carries. */
    public String payload() {
        return payload;
    }

    /** The payload's length in bytes, as the header states it. */
    public int payloadLength() {
        return wire.length - FrameHeader.LENGTH;
    }

    /** Header and payload together: what this frame costs on the wire and in an outbox. */
    public int wireLength() {
        return wire.length;
    }

    /** A new read-only view of the wire bytes, positioned at the start; the bytes themselves are shared. */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(wire).asReadOnlyBuffer();
    }

    /** Writes the wire bytes to {@code out}; blocks as long as {@code out} blocks. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(wire);
    }

    @Override
    public String toString() {
        return "Frame[" + payloadLength() + " bytes: " + payload + "]";
    }
}

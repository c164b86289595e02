package dev.socketchat.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/** Builds raw wire bytes for tests, including ones that no well-behaved writer would produce. */
final class WireBytes {

    private WireBytes() {
    }

    /** A 64-byte header holding {@code text} (ASCII only), padded with spaces. */
    static byte[] header(String text) {
        return header(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A 64-byte header starting with {@code bytes}, padded with spaces. */
    static byte[] header(byte[] bytes) {
        if (bytes.length > FrameHeader.LENGTH) {
            throw new IllegalArgumentException("a header holds 64 bytes, not " + bytes.length);
        }
        byte[] header = Arrays.copyOf(bytes, FrameHeader.LENGTH);
        Arrays.fill(header, bytes.length, FrameHeader.LENGTH, (byte) ' ');
        return header;
    }

    /** A frame whose header announces exactly the given payload bytes, valid UTF-8 or not. */
    static byte[] frame(byte[] payload) {
        return concat(header(Integer.toString(payload.length)), payload);
    }

    /** The wire bytes of a well-formed frame. */
    static byte[] frame(String payload) {
        return frame(payload.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A buffer in read mode (flipped) over a copy of {@code bytes}. */
    static ByteBuffer readable(byte[] bytes) {
        return ByteBuffer.wrap(bytes.clone());
    }

    static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }
}

package dev.socketchat.contract;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Wire bytes built by hand, independent of the project's own encoder, so that framing is tested
 * against docs/protocol.md §2 rather than against the code under test.
 *
 * <pre>
 * frame("hello")  =  "5" + 63 spaces + "hello"          (69 bytes)
 * header("+5")    =  "+5" + 62 spaces                   (a bad header: a sign)
 * </pre>
 */
final class RawFrames {

    static final int HEADER_LENGTH = 64;

    private RawFrames() {
    }

    /** A 64-byte header: {@code start}, as ISO-8859-1 bytes, padded with spaces. */
    static byte[] header(String start) {
        return header(start.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A 64-byte header: {@code start}, padded with spaces. */
    static byte[] header(byte[] start) {
        if (start.length > HEADER_LENGTH) {
            throw new IllegalArgumentException("a header is " + HEADER_LENGTH + " bytes: " + start.length);
        }
        byte[] header = Arrays.copyOf(start, HEADER_LENGTH);
        Arrays.fill(header, start.length, HEADER_LENGTH, (byte) ' ');
        return header;
    }

    /** A well-formed frame around {@code payload}'s UTF-8 bytes. */
    static byte[] frame(String payload) {
        return frame(payload.getBytes(StandardCharsets.UTF_8));
    }

    /** A well-formed header, counting the payload in bytes, followed by the payload as given. */
    static byte[] frame(byte[] payload) {
        return concat(header(Integer.toString(payload.length)), payload);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}

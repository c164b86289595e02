package dev.socketchat.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fixed 64-byte header that precedes every payload: the payload's length in bytes as ASCII
 * decimal digits, padded with ASCII spaces.
 *
 * <pre>
 * offset:  0    1    2    3   ...   63
 * bytes:   0x31 0x32 0x20 0x20 ... 0x20    "12" and 62 spaces: a payload of 12 bytes follows
 * </pre>
 *
 * <p>Writers put the digits first, without sign or leading zeros. Readers are lenient about where
 * the digits stand but strict about everything else: the header must be one run of the ASCII digits
 * {@code 0-9} with optional spaces before and after it. The value is compared with the maximum
 * while it is parsed, so a header of 64 digits neither overflows nor allocates anything.
 */
public final class FrameHeader {

    /** Every header is exactly this long, whatever the payload. */
    public static final int LENGTH = 64;

    private static final byte SPACE = ' ';

    private FrameHeader() {
    }

    /** Writes the header for a payload of {@code payloadLength} bytes into {@code target} at {@code offset}. */
    static void write(int payloadLength, byte[] target, int offset) {
        byte[] digits = Integer.toString(payloadLength).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, target, offset, digits.length);
        Arrays.fill(target, offset + digits.length, offset + LENGTH, SPACE);
    }

    /**
     * Parses a complete header.
     *
     * @param header     holds the header at {@code offset}, all {@value #LENGTH} bytes of it
     * @param maxPayload the largest payload the reader accepts
     * @return the payload length announced, between 0 and {@code maxPayload}
     * @throws MalformedHeaderException if the header breaks the grammar
     * @throws PayloadTooLargeException if it announces more than {@code maxPayload} bytes
     */
    public static int parse(byte[] header, int offset, int maxPayload)
            throws MalformedHeaderException, PayloadTooLargeException {
        int end = offset + LENGTH;
        int i = offset;
        while (i < end && header[i] == SPACE) {
            i++;
        }
        int digitsStart = i;
        while (i < end && isAsciiDigit(header[i])) {
            i++;
        }
        int digitsEnd = i;
        while (i < end && header[i] == SPACE) {
            i++;
        }
        if (i < end) {
            throw new MalformedHeaderException(describeUnexpected(header[i], i - offset, digitsEnd > digitsStart));
        }
        if (digitsStart == digitsEnd) {
            throw new MalformedHeaderException("no length digits");
        }
        return value(header, digitsStart, digitsEnd, maxPayload);
    }

    private static int value(byte[] header, int start, int end, int maxPayload) throws PayloadTooLargeException {
        long value = 0;
        for (int i = start; i < end; i++) {
            value = value * 10 + (header[i] - '0');
            // Stop as soon as the maximum is passed: the value never grows anywhere near overflow.
            if (value > maxPayload) {
                throw new PayloadTooLargeException(abbreviate(header, start, end), maxPayload);
            }
        }
        return (int) value;
    }

    private static String describeUnexpected(byte b, int position, boolean afterDigits) {
        if (afterDigits && isAsciiDigit(b)) {
            return "a second run of digits at byte " + position;
        }
        String shown = b >= 0x21 && b <= 0x7e ? "'" + (char) b + "' " : "";
        return String.format("unexpected byte %s(0x%02X) at byte %d", shown, b & 0xff, position);
    }

    private static String abbreviate(byte[] header, int start, int end) {
        int count = end - start;
        String digits = new String(header, start, Math.min(count, 20), StandardCharsets.US_ASCII);
        return count <= 20 ? digits : digits + "... (" + count + " digits)";
    }

    private static boolean isAsciiDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}

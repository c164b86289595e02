package dev.socketchat.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes payloads as UTF-8 and refuses anything malformed.
 *
 * <p>The {@code String} constructor that takes a charset replaces malformed UTF-8 with U+FFFD
 * without a word, which would let a client smuggle invalid text past validation. A {@link CharsetDecoder} set to
 * {@link CodingErrorAction#REPORT} rejects invalid bytes, truncated and overlong sequences and
 * encoded surrogates ({@code ED A0 80}), as docs/protocol.md §2 requires.
 *
 * <p>Public so that a lesson whose framework splits frames for it (lesson 08, Netty) checks
 * payloads with this same code rather than with rules of its own.
 */
public final class StrictUtf8 {

    private StrictUtf8() {
    }

    /** Decodes all remaining bytes of {@code bytes}; its position is left unchanged. */
    public static String decode(ByteBuffer bytes) throws MalformedPayloadException {
        if (isAscii(bytes)) {
            // Fast path for the common case: ASCII is valid UTF-8 byte for byte, and as Latin-1 it
            // becomes a compact String in a single copy.
            if (bytes.hasArray()) {
                return new String(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining(),
                        StandardCharsets.ISO_8859_1);
            }
            byte[] latin1 = new byte[bytes.remaining()];
            bytes.get(bytes.position(), latin1);
            return new String(latin1, StandardCharsets.ISO_8859_1);
        }
        // A decoder keeps state, so each call takes its own: payload decoding runs on many threads.
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer input = bytes.duplicate();
        try {
            return decoder.decode(input).toString();
        } catch (CharacterCodingException e) {
            int offset = input.position() - bytes.position();
            throw new MalformedPayloadException(String.format("bad sequence at byte %d (0x%02X)",
                    offset, input.hasRemaining() ? input.get(input.position()) & 0xff : 0));
        }
    }

    private static boolean isAscii(ByteBuffer bytes) {
        for (int i = bytes.position(); i < bytes.limit(); i++) {
            if (bytes.get(i) < 0) {
                return false;
            }
        }
        return true;
    }
}

package dev.socketchat.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives a {@link FrameDecoder} the way a non-blocking server does: append what a read delivered,
 * flip, decode every complete frame, compact, and grow the buffer when {@link FrameDecoder#bytesNeeded}
 * says the frame in progress does not fit. Every call checks the decoder's contract: a {@code null}
 * consumes nothing, and a payload consumes exactly its own frame.
 */
final class ReadLoop {

    private final FrameDecoder decoder;
    private final List<String> payloads = new ArrayList<>();
    private ByteBuffer buffer = ByteBuffer.allocate(16); // write mode between calls

    ReadLoop(FrameDecoder decoder) {
        this.decoder = decoder;
    }

    /** Appends {@code chunk} and decodes what became complete; returns those payloads. */
    List<String> feed(byte[] chunk) throws ProtocolException {
        ensureRoom(chunk.length);
        buffer.put(chunk).flip();
        List<String> decoded = new ArrayList<>();
        try {
            while (true) {
                int position = buffer.position();
                int limit = buffer.limit();
                String payload = decoder.decode(buffer);
                if (payload == null) {
                    assertThat(buffer.position()).as("position after an incomplete frame").isEqualTo(position);
                    assertThat(buffer.limit()).as("limit after an incomplete frame").isEqualTo(limit);
                    assertThat(decoder.bytesNeeded(buffer)).as("bytes needed by an incomplete frame")
                            .isGreaterThan(buffer.remaining());
                    break;
                }
                int frameLength = FrameHeader.LENGTH + payload.getBytes(StandardCharsets.UTF_8).length;
                assertThat(buffer.position() - position).as("bytes consumed by " + payload).isEqualTo(frameLength);
                decoded.add(payload);
                payloads.add(payload);
            }
        } finally {
            buffer.compact();
        }
        return decoded;
    }

    /** Every payload decoded so far, in order, including those decoded before a fault. */
    List<String> payloads() {
        return payloads;
    }

    /** Bytes received but not yet part of a complete frame. */
    int pending() {
        return buffer.position();
    }

    private void ensureRoom(int more) {
        if (buffer.remaining() < more) {
            ByteBuffer larger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + more));
            buffer.flip();
            larger.put(buffer);
            buffer = larger;
        }
    }
}

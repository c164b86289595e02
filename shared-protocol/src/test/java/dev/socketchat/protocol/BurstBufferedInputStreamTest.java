package dev.socketchat.protocol;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The burst buffer reads what is waiting in one call, as a {@code BufferedInputStream} would, and
 * holds no buffer while it waits for more: reads that would block go straight to the caller's array.
 */
class BurstBufferedInputStreamTest {

    /** A stream that records the length each read asked for, and says honestly what is waiting. */
    private static final class RecordingStream extends InputStream {
        final ByteArrayInputStream bytes;
        final List<Integer> asked = new ArrayList<>();

        RecordingStream(byte[] content) {
            this.bytes = new ByteArrayInputStream(content);
        }

        @Override
        public int read() {
            throw new AssertionError("single-byte reads are not expected");
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            asked.add(length);
            return bytes.read(target, offset, length);
        }

        @Override
        public int available() {
            return bytes.available();
        }
    }

    @Test
    void bytesAlreadyWaitingAreReadInOneCallAndServeSeveralFrames() throws IOException {
        byte[] wire = concat(Frame.of("one").buffer(), Frame.of("two").buffer(), Frame.of("three").buffer());
        RecordingStream socket = new RecordingStream(wire);
        FrameReader reader = new FrameReader(new BurstBufferedInputStream(socket, 8192), 100);

        assertThat(reader.read()).isEqualTo("one");
        assertThat(reader.read()).isEqualTo("two");
        assertThat(reader.read()).isEqualTo("three");
        assertThat(socket.asked).containsExactly(8192);
    }

    @Test
    void withNothingWaitingAReadGoesStraightToTheCallersArrayAndTheDrainedBufferIsDropped() throws IOException {
        RecordingStream socket = new RecordingStream(new byte[0]);
        BurstBufferedInputStream in = new BurstBufferedInputStream(socket, 8192);

        // A header read on an idle connection: asks for 64, never for a buffer's worth.
        assertThat(in.read(new byte[64], 0, 64)).isEqualTo(-1);
        assertThat(socket.asked).containsExactly(64);
    }

    @Test
    void aBurstIsServedFromTheBufferAcrossReadsOfAnySizeThenReleased() throws IOException {
        byte[] content = new byte[300];
        Arrays.setAll(new int[300], i -> content[i] = (byte) i);
        RecordingStream socket = new RecordingStream(content);
        BurstBufferedInputStream in = new BurstBufferedInputStream(socket, 256);

        byte[] got = new byte[300];
        int filled = 0;
        for (int chunk : new int[]{10, 100, 146, 44}) {
            filled += in.read(got, filled, chunk);
        }
        assertThat(got).isEqualTo(content);
        // 256 buffered at once, then the 44 left: the first 10 asked for 256, the last burst another 256.
        assertThat(socket.asked).containsExactly(256, 256);
        assertThat(in.available()).isZero();
        assertThat(in.read(got, 0, 1)).isEqualTo(-1);
    }

    private static byte[] concat(java.nio.ByteBuffer... buffers) {
        int total = Arrays.stream(buffers).mapToInt(java.nio.ByteBuffer::remaining).sum();
        java.nio.ByteBuffer all = java.nio.ByteBuffer.allocate(total);
        Arrays.stream(buffers).forEach(all::put);
        return all.array();
    }
}

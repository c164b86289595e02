package dev.socketchat.protocol;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Frames written together leave in one write, up to the gathering limit, and nothing is held between flushes. */
class FrameWriterTest {

    /** Records the size of every write it is given. */
    private static final class RecordingStream extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Integer> writes = new ArrayList<>();

        @Override
        public void write(int b) {
            throw new AssertionError("single-byte writes are not expected");
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes.add(len);
            bytes.write(b, off, len);
        }
    }

    @Test
    void aBatchOfSmallFramesLeavesInOneWrite() throws IOException {
        RecordingStream out = new RecordingStream();
        new FrameWriter(out).sendAll(List.of(Frame.of("a"), Frame.of("bb"), Frame.of("ccc")));

        assertThat(out.writes).containsExactly(65 + 66 + 67);
        assertThat(new FrameReader(new java.io.ByteArrayInputStream(out.bytes.toByteArray()), 10).read()).isEqualTo("a");
    }

    @Test
    void aBatchBeyondTheLimitIsSplitAtFrameBoundariesAndAHugeFrameLeavesUncopied() throws IOException {
        RecordingStream out = new RecordingStream();
        String half = "x".repeat(FrameWriter.GATHER_LIMIT / 2);
        String huge = "y".repeat(FrameWriter.GATHER_LIMIT);
        List<Frame> batch = List.of(Frame.of(half), Frame.of(half), Frame.of(huge), Frame.of("z"));
        new FrameWriter(out).sendAll(batch);

        int halfFrame = FrameHeader.LENGTH + half.length();
        assertThat(out.writes).containsExactly(halfFrame, halfFrame, FrameHeader.LENGTH + huge.length(), 65);
        FrameReader reader = new FrameReader(new java.io.ByteArrayInputStream(out.bytes.toByteArray()), 1 << 20);
        assertThat(reader.read()).isEqualTo(half);
        assertThat(reader.read()).isEqualTo(half);
        assertThat(reader.read()).isEqualTo(huge);
        assertThat(reader.read()).isEqualTo("z");
    }

    @Test
    void nothingLeavesBeforeTheFlushAndAFlushWithNothingWrittenWritesNothing() throws IOException {
        RecordingStream out = new RecordingStream();
        FrameWriter writer = new FrameWriter(out);
        writer.write(Frame.of("later"));
        assertThat(out.writes).isEmpty();
        writer.flush();
        writer.flush();
        assertThat(out.writes).containsExactly(69);
    }
}

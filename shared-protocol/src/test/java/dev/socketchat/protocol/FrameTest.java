package dev.socketchat.protocol;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.List;

import static dev.socketchat.protocol.WireBytes.bytes;
import static dev.socketchat.protocol.WireBytes.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameTest {

    @Test
    void encodesHelloAsTheJavadocShowsByteForByte() throws IOException {
        byte[] expected = new byte[69];
        expected[0] = 0x35;
        for (int i = 1; i < 64; i++) {
            expected[i] = 0x20;
        }
        System.arraycopy(bytes(0x68, 0x65, 0x6C, 0x6C, 0x6F), 0, expected, 64, 5);

        assertThat(wireOf(Frame.of("hello"))).containsExactly(expected);
    }

    @Test
    void countsPayloadAndWireLengthInBytesNotCharacters() {
        Frame frame = Frame.of("é😀"); // 2 + 4 bytes, 3 chars

        assertThat(frame.payload()).isEqualTo("é😀");
        assertThat(frame.payloadLength()).isEqualTo(6);
        assertThat(frame.wireLength()).isEqualTo(70);
    }

    @Test
    void encodesTheKeepaliveAsAHeaderWithZeroAndNoPayload() throws IOException {
        assertThat(Frame.KEEPALIVE.payload()).isEmpty();
        assertThat(wireOf(Frame.KEEPALIVE)).containsExactly(WireBytes.header("0"));
    }

    @Test
    void givesEveryRecipientItsOwnPositionOverTheSameBytes() {
        Frame frame = Frame.of("shared");
        ByteBuffer first = frame.buffer();
        ByteBuffer second = frame.buffer();

        first.position(first.limit());

        assertThat(second.position()).isZero();
        assertThat(second.remaining()).isEqualTo(frame.wireLength());
        assertThat(first.rewind()).isEqualTo(second);
    }

    @Test
    void handsOutOnlyReadOnlyViews() {
        ByteBuffer view = Frame.of("shared").buffer();

        assertThat(view.isReadOnly()).isTrue();
        assertThatThrownBy(() -> view.put(0, (byte) 'X')).isInstanceOf(ReadOnlyBufferException.class);
        assertThat(Frame.of("shared").buffer().get(64)).isEqualTo((byte) 's');
    }

    @Test
    void writesTheSameEncodedBytesToEveryRecipientWithoutReencoding() throws IOException {
        Frame frame = Frame.of("broadcast");
        List<byte[]> arraysWritten = new ArrayList<>();
        OutputStream recorder = new OutputStream() {
            @Override
            public void write(int b) {
                throw new AssertionError("a frame is written in one call, not byte by byte");
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                arraysWritten.add(bytes);
            }
        };

        frame.writeTo(recorder);
        frame.writeTo(recorder);

        assertThat(arraysWritten).hasSize(2);
        assertThat(arraysWritten.get(0)).isSameAs(arraysWritten.get(1));
    }

    @Test
    void decodesBackToItsPayload() throws IOException {
        String text = "round trip: ü € 𝄞";

        assertThat(new FrameDecoder(1024).decode(ByteBuffer.wrap(wireOf(Frame.of(text))))).isEqualTo(text);
    }

    @Test
    void writerSendsQueuedFramesTogetherInOneFlush() throws IOException {
        CountingStream out = new CountingStream();
        FrameWriter writer = new FrameWriter(out);

        writer.sendAll(List.of(Frame.of("a"), Frame.of("b"), Frame.KEEPALIVE));

        assertThat(out.bytes.toByteArray()).containsExactly(concat(wireOf(Frame.of("a")), wireOf(Frame.of("b")),
                wireOf(Frame.KEEPALIVE)));
        assertThat(out.writes).isEqualTo(1);
        assertThat(out.flushes).isEqualTo(1);
    }

    @Test
    void writerFlushesASingleFrameAtOnce() throws IOException {
        CountingStream out = new CountingStream();

        new FrameWriter(out).send("hello");

        assertThat(out.bytes.toByteArray()).containsExactly(wireOf(Frame.of("hello")));
        assertThat(out.flushes).isEqualTo(1);
    }

    static byte[] wireOf(Frame frame) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frame.writeTo(out);
        return out.toByteArray();
    }

    /** Counts the writes and flushes that reach the underlying stream, standing in for system calls. */
    private static final class CountingStream extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int writes;
        int flushes;

        @Override
        public void write(int b) {
            writes++;
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes++;
            bytes.write(b, off, len);
        }

        @Override
        public void flush() {
            flushes++;
        }
    }
}

package dev.socketchat.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static dev.socketchat.protocol.ScriptedStream.bytes;
import static dev.socketchat.protocol.ScriptedStream.pause;
import static dev.socketchat.protocol.WireBytes.concat;
import static dev.socketchat.protocol.WireBytes.frame;
import static dev.socketchat.protocol.WireBytes.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameReaderTest {

    private static final int MAX = 1_048_576;
    private static final Duration IDLE = Duration.ofSeconds(300);
    private static final Duration FRAME = Duration.ofSeconds(10);

    @Test
    void readsWholeFramesFromAStreamThatDeliversOneByteAtATime() throws IOException {
        byte[] wire = concat(frame("hello"), frame(""), frame("wörld 😀"));
        FrameReader reader = new FrameReader(ChunkedInputStream.oneByteAtATime(wire), MAX);

        assertThat(reader.read()).isEqualTo("hello");
        assertThat(reader.read()).isEmpty();
        assertThat(reader.read()).isEqualTo("wörld 😀");
        assertThat(reader.read()).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64, 65, 1000})
    void roundTripsRandomTextOverAStreamReturningAtMostKBytesPerRead(int k) throws IOException {
        SplittableRandom random = new SplittableRandom(7_919L * k);
        List<String> sent = new ArrayList<>();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int i = 0; i < 200; i++) {
            String text = RandomText.of(random, 100);
            sent.add(text);
            Frame.of(text).writeTo(wire);
        }
        FrameReader reader = new FrameReader(new ChunkedInputStream(wire.toByteArray(), random, k), MAX);

        List<String> received = new ArrayList<>();
        for (String payload = reader.read(); payload != null; payload = reader.read()) {
            received.add(payload);
        }

        assertThat(received).containsExactlyElementsOf(sent);
    }

    @Test
    void returnsNullAtACleanEndOfStreamBeforeAnyFrame() throws IOException {
        assertThat(new FrameReader(new ByteArrayInputStream(new byte[0]), MAX).read()).isNull();
    }

    @Test
    void returnsNullAtACleanEndOfStreamBetweenFrames() throws IOException {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(frame("last")), MAX);

        assertThat(reader.read()).isEqualTo("last");
        assertThat(reader.read()).isNull();
    }

    @Test
    void reportsAStreamThatEndsInsideTheHeaderAsTruncated() {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(Arrays.copyOf(frame("hello"), 2)), MAX);

        assertThatThrownBy(reader::read)
                .isInstanceOf(TruncatedFrameException.class)
                .hasMessage("connection closed mid-frame: 2 of 64 bytes received");
    }

    @Test
    void reportsAStreamThatEndsInsideThePayloadAsTruncated() {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(Arrays.copyOf(frame("hello"), 66)), MAX);

        assertThatThrownBy(reader::read)
                .isInstanceOf(TruncatedFrameException.class)
                .hasMessage("connection closed mid-frame: 66 of 69 bytes received");
    }

    @Test
    void reportsATruncatedLargePayloadWithTheLengthItsHeaderAnnounced() {
        byte[] wire = concat(header("1048576"), new byte[10_000]);
        FrameReader reader = new FrameReader(new ByteArrayInputStream(wire), MAX);

        assertThatThrownBy(reader::read)
                .isInstanceOf(TruncatedFrameException.class)
                .hasMessage("connection closed mid-frame: 10064 of 1048640 bytes received");
    }

    /** A header that announces the maximum, then one byte: the reader must not take the maximum for it. */
    @Test
    void holdsMemoryForTheBytesReceivedNotForTheBytesAnnounced() {
        ArraySizes stream = new ArraySizes(concat(header("1048576"), new byte[1]));
        FrameReader reader = new FrameReader(stream, MAX);

        assertThatThrownBy(reader::read).isInstanceOf(TruncatedFrameException.class);
        assertThat(stream.largestArray).isLessThanOrEqualTo(FrameReader.FIRST_CHUNK);
    }

    @Test
    void growsThePayloadByDoublingAsItArrivesAndReadsItWhole() throws IOException {
        String text = "x".repeat(300_000);
        ArraySizes stream = new ArraySizes(frame(text));
        FrameReader reader = new FrameReader(stream, MAX);

        assertThat(reader.read()).isEqualTo(text);
        assertThat(stream.largestArray).isEqualTo(300_000);
    }

    /** A stream that remembers the largest array a reader handed it to fill. */
    private static final class ArraySizes extends ByteArrayInputStream {
        int largestArray;

        ArraySizes(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            if (b.length != FrameHeader.LENGTH) { // the header's own array is not the payload's
                largestArray = Math.max(largestArray, b.length);
            }
            return super.read(b, off, len);
        }
    }

    @Test
    void refusesAnOversizedHeaderWithoutReadingThePayload() {
        // No payload follows: a reader that tried to read it would report a truncated frame instead.
        FrameReader reader = new FrameReader(new ByteArrayInputStream(header("1048577")), MAX);

        assertThatThrownBy(reader::read).isInstanceOf(PayloadTooLargeException.class);
    }

    @Test
    void refusesAMalformedHeader() {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(concat(header("+5"), WireBytes.bytes('h', 'e', 'l',
                'l', 'o'))), MAX);

        assertThatThrownBy(reader::read)
                .isInstanceOf(MalformedHeaderException.class)
                .hasMessage("malformed header: unexpected byte '+' (0x2B) at byte 0");
    }

    @Test
    void refusesAPayloadThatIsNotStrictUtf8() {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(frame(WireBytes.bytes(0xED, 0xA0, 0x80))), MAX);

        assertThatThrownBy(reader::read).isInstanceOf(MalformedPayloadException.class);
    }

    @Test
    void waitsForTheFirstByteOfAFrameNoLongerThanTheIdleTimeout() {
        ScriptedStream peer = new ScriptedStream(pause());
        FrameReader reader = new FrameReader(peer, MAX, peer.readTimeout(), IDLE, FRAME);

        assertThatThrownBy(reader::read)
                .isInstanceOf(IdleTimeoutException.class)
                .hasMessage("idle timeout");
        assertThat(peer.timeoutsInForce()).containsExactly(300_000);
    }

    @Test
    void takesAnIdleTimeoutForOneCallInsteadOfItsOwn() {
        ScriptedStream peer = new ScriptedStream(pause());
        FrameReader reader = new FrameReader(peer, MAX, peer.readTimeout(), IDLE, FRAME);

        assertThatThrownBy(() -> reader.read(Duration.ofMillis(250))).isInstanceOf(IdleTimeoutException.class);
        assertThat(peer.timeoutsInForce()).containsExactly(250);
    }

    @Test
    void waitsForTheFirstByteForeverWithoutAnIdleTimeout() throws IOException {
        ScriptedStream peer = new ScriptedStream(pause(), bytes(frame("hello")));
        FrameReader reader = new FrameReader(peer, MAX, peer.readTimeout(), Duration.ZERO, FRAME);

        assertThat(reader.read()).isEqualTo("hello");
        assertThat(peer.timeoutsInForce().getFirst()).isZero();
    }

    @Test
    void goesBackToTheIdleTimeoutForTheNextFrame() throws IOException {
        ScriptedStream peer = new ScriptedStream(bytes(frame("first")), pause());
        FrameReader reader = new FrameReader(peer, MAX, peer.readTimeout(), IDLE, FRAME);

        assertThat(reader.read()).isEqualTo("first");
        assertThatThrownBy(reader::read).isInstanceOf(IdleTimeoutException.class);
        assertThat(peer.timeoutsInForce().getLast()).isEqualTo(300_000);
    }

    @Test
    void reportsAFrameThatStallsInsideTheHeaderAsAFrameTimeout() {
        ScriptedStream peer = new ScriptedStream(bytes(Arrays.copyOf(frame("hello"), 10)), pause());
        FrameReader reader = new FrameReader(peer, MAX, peer.readTimeout(), IDLE, FRAME);

        assertThatThrownBy(reader::read)
                .isInstanceOf(FrameTimeoutException.class)
                .hasMessage("frame timeout");
    }

    @Test
    void reportsAFrameThatStallsInsideThePayloadAsAFrameTimeout() {
        ScriptedStream peer = new ScriptedStream(bytes(Arrays.copyOf(frame("hello"), 66)), pause());
        FrameReader reader = new FrameReader(peer, MAX, peer.readTimeout(), IDLE, FRAME);

        assertThatThrownBy(reader::read).isInstanceOf(FrameTimeoutException.class);
    }

    @Test
    void waitsInsideAFrameNoLongerThanWhatIsLeftOfTheFrameTimeout() throws IOException {
        ScriptedStream peer = new ScriptedStream(bytes(Arrays.copyOf(frame("hello"), 10)),
                bytes(Arrays.copyOfRange(frame("hello"), 10, 69)));
        // Generous, so that a stalled test machine cannot reach the deadline.
        FrameReader reader = new FrameReader(peer, MAX, peer.readTimeout(), IDLE, Duration.ofSeconds(60));

        assertThat(reader.read()).isEqualTo("hello");
        List<Integer> insideTheFrame = peer.timeoutsInForce().subList(1, peer.timeoutsInForce().size());
        assertThat(insideTheFrame).isNotEmpty().allSatisfy(millis -> assertThat(millis).isBetween(1, 60_000));
    }

    @Test
    void cutsOffAFrameThatTricklesInSlowerThanTheFrameTimeoutAllows() {
        // Every single byte arrives within the read timeout; only a deadline over the whole frame stops it.
        ScriptedStream peer = new ScriptedStream(new ScriptedStream.Trickle(Duration.ofMillis(2), frame("hello")));
        FrameReader reader = new FrameReader(peer, MAX, peer.readTimeout(), IDLE, Duration.ofMillis(5));

        assertThatThrownBy(reader::read).isInstanceOf(FrameTimeoutException.class);
    }

    @Test
    void letsAFrameTakeAsLongAsItNeedsWithoutAFrameTimeout() throws IOException {
        ScriptedStream peer = new ScriptedStream(bytes(Arrays.copyOf(frame("hello"), 10)), pause(),
                bytes(Arrays.copyOfRange(frame("hello"), 10, 69)));
        FrameReader reader = new FrameReader(peer, MAX, peer.readTimeout(), IDLE, Duration.ZERO);

        assertThat(reader.read()).isEqualTo("hello");
    }
}

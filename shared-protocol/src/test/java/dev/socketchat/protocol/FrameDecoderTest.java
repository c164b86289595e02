package dev.socketchat.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static dev.socketchat.protocol.WireBytes.bytes;
import static dev.socketchat.protocol.WireBytes.concat;
import static dev.socketchat.protocol.WireBytes.frame;
import static dev.socketchat.protocol.WireBytes.header;
import static dev.socketchat.protocol.WireBytes.readable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

class FrameDecoderTest {

    private static final int MAX = 1_048_576;

    private final FrameDecoder decoder = new FrameDecoder(MAX);

    static Stream<String> samplePayloads() {
        return Stream.of(
                "",
                "hello",
                "0123456789",                     // ten bytes: a two-digit header
                "héllo wörld € 𝄞 😀",             // two-, three- and four-byte sequences to split inside
                "!nick alice",
                "x".repeat(1000));
    }

    @ParameterizedTest
    @MethodSource("samplePayloads")
    void decodesTheSameFrameWhereverItsBytesAreSplitInTwo(String payload) throws ProtocolException {
        byte[] wire = frame(payload);
        for (int split = 0; split < wire.length; split++) {
            ByteBuffer buffer = ByteBuffer.allocate(wire.length);
            buffer.put(wire, 0, split).flip();

            assertThat(decoder.decode(buffer)).as("decode of the first %d bytes", split).isNull();
            assertThat(buffer.position()).as("position after %d bytes", split).isZero();
            assertThat(buffer.limit()).as("limit after %d bytes", split).isEqualTo(split);

            buffer.compact().put(wire, split, wire.length - split).flip();

            assertThat(decoder.decode(buffer)).as("decode after a split at %d", split).isEqualTo(payload);
            assertThat(buffer.hasRemaining()).as("bytes left after a split at %d", split).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("samplePayloads")
    void decodesAFrameArrivingOneByteAtATime(String payload) throws ProtocolException {
        byte[] wire = frame(payload);
        ReadLoop loop = new ReadLoop(decoder);

        for (int i = 0; i < wire.length - 1; i++) {
            assertThat(loop.feed(new byte[] {wire[i]})).as("payloads after byte %d", i).isEmpty();
        }

        assertThat(loop.feed(new byte[] {wire[wire.length - 1]})).containsExactly(payload);
        assertThat(loop.pending()).isZero();
    }

    @Test
    void decodesSeveralFramesCoalescedInOneBufferOneCallAtATime() throws ProtocolException {
        ByteBuffer buffer = readable(concat(frame("one"), frame(""), frame("three ✓")));

        assertThat(decoder.decode(buffer)).isEqualTo("one");
        assertThat(decoder.decode(buffer)).isEmpty();
        assertThat(decoder.decode(buffer)).isEqualTo("three ✓");
        assertThat(decoder.decode(buffer)).isNull();
        assertThat(buffer.hasRemaining()).isFalse();
    }

    @Test
    void leavesAPartialFrameBehindCoalescedFramesWhereItStarts() throws ProtocolException {
        byte[] complete = concat(frame("one"), frame("two"));
        ByteBuffer buffer = readable(concat(complete, Arrays.copyOf(frame("three"), 66)));

        assertThat(decoder.decode(buffer)).isEqualTo("one");
        assertThat(decoder.decode(buffer)).isEqualTo("two");
        assertThat(decoder.decode(buffer)).isNull();
        assertThat(buffer.position()).isEqualTo(complete.length);
        assertThat(buffer.remaining()).isEqualTo(66);
    }

    @Test
    void decodesAKeepaliveAsAnEmptyPayloadConsumingOnlyItsHeader() throws ProtocolException {
        ByteBuffer buffer = readable(concat(header("0"), frame("next")));

        assertThat(decoder.decode(buffer)).isEmpty();
        assertThat(buffer.position()).isEqualTo(FrameHeader.LENGTH);
        assertThat(decoder.decode(buffer)).isEqualTo("next");
    }

    @Test
    void readsHeadersWithLeadingSpacesAndLeadingZeros() throws ProtocolException {
        ByteBuffer buffer = readable(concat(header("  5"), bytes('h', 'e', 'l', 'l', 'o'),
                header("0003"), bytes('a', 'b', 'c')));

        assertThat(decoder.decode(buffer)).isEqualTo("hello");
        assertThat(decoder.decode(buffer)).isEqualTo("abc");
    }

    @Test
    void decodesFromAnyPositionWithoutTouchingBytesBeforeIt() throws ProtocolException {
        byte[] prefix = bytes('j', 'u', 'n', 'k');
        ByteBuffer buffer = readable(concat(prefix, frame("hello")));
        buffer.position(prefix.length);

        assertThat(decoder.decode(buffer)).isEqualTo("hello");
        assertThat(buffer.position()).isEqualTo(prefix.length + 69);
    }

    @Test
    void keepsNoStateBetweenCallsSoOneDecoderServesManyConnections() throws ProtocolException {
        ReadLoop first = new ReadLoop(decoder);
        ReadLoop second = new ReadLoop(decoder);
        byte[] a = frame("from the first");
        byte[] b = frame("from the second");

        first.feed(Arrays.copyOf(a, 30));
        second.feed(Arrays.copyOf(b, 70));
        List<String> fromFirst = first.feed(Arrays.copyOfRange(a, 30, a.length));
        List<String> fromSecond = second.feed(Arrays.copyOfRange(b, 70, b.length));

        assertThat(fromFirst).containsExactly("from the first");
        assertThat(fromSecond).containsExactly("from the second");
    }

    @Test
    void waitsForTheWholeHeaderBeforeJudgingIt() throws ProtocolException {
        ByteBuffer buffer = readable(Arrays.copyOf(header("not a length"), FrameHeader.LENGTH - 1));

        assertThat(decoder.decode(buffer)).isNull();
        assertThat(buffer.position()).isZero();
    }

    @Test
    void refusesAMalformedHeaderAsSoonAsItsSixtyFourBytesAreThere() {
        ByteBuffer buffer = readable(header("5x"));

        assertThatThrownBy(() -> decoder.decode(buffer))
                .isInstanceOf(MalformedHeaderException.class)
                .hasMessage("malformed header: unexpected byte 'x' (0x78) at byte 1");
    }

    @Test
    void refusesAnOversizedPayloadFromTheHeaderAloneWithoutWaitingForThePayload() {
        ByteBuffer buffer = readable(header("2000000000"));

        assertThatThrownBy(() -> decoder.decode(buffer))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessage("payload too large: 2000000000 bytes announced, the maximum is 1048576");
    }

    @Test
    void acceptsAPayloadOfExactlyTheMaximumAndRefusesOneByteMore() throws ProtocolException {
        FrameDecoder small = new FrameDecoder(10);

        assertThat(small.decode(readable(frame("0123456789")))).isEqualTo("0123456789");
        assertThatThrownBy(() -> small.decode(readable(frame("0123456789A"))))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessage("payload too large: 11 bytes announced, the maximum is 10");
    }

    @ParameterizedTest
    @MethodSource("malformedPayloads")
    void refusesAPayloadThatIsNotStrictUtf8(byte[] payload, String detail) {
        ByteBuffer buffer = readable(frame(payload));

        assertThatThrownBy(() -> decoder.decode(buffer))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("invalid UTF-8 in payload: " + detail);
    }

    static Stream<Arguments> malformedPayloads() {
        return Stream.of(
                argumentSet("overlong NUL (C0 80)", bytes(0xC0, 0x80), "bad sequence at byte 0 (0xC0)"),
                argumentSet("overlong three-byte NUL (E0 80 80)", bytes(0xE0, 0x80, 0x80),
                        "bad sequence at byte 0 (0xE0)"),
                argumentSet("overlong slash (C1 AF)", bytes(0xC1, 0xAF), "bad sequence at byte 0 (0xC1)"),
                argumentSet("encoded surrogate U+D800 (ED A0 80)", bytes(0xED, 0xA0, 0x80),
                        "bad sequence at byte 0 (0xED)"),
                argumentSet("encoded surrogate U+DFFF (ED BF BF)", bytes(0xED, 0xBF, 0xBF),
                        "bad sequence at byte 0 (0xED)"),
                argumentSet("truncated euro sign (E2 82) at the end", bytes('a', 0xE2, 0x82),
                        "bad sequence at byte 1 (0xE2)"),
                argumentSet("truncated sequence before ASCII", bytes(0xE2, 0x82, 'a'),
                        "bad sequence at byte 0 (0xE2)"),
                argumentSet("invalid byte FF", bytes('o', 'k', 0xFF), "bad sequence at byte 2 (0xFF)"),
                argumentSet("lone continuation byte", bytes(0x80), "bad sequence at byte 0 (0x80)"),
                argumentSet("above U+10FFFF (F4 90 80 80)", bytes(0xF4, 0x90, 0x80, 0x80),
                        "bad sequence at byte 0 (0xF4)"));
    }

    @ParameterizedTest
    @MethodSource("boundaryCharacters")
    void acceptsTheBoundariesOfEveryUtf8SequenceLength(byte[] payload, String expected) throws ProtocolException {
        assertThat(decoder.decode(readable(frame(payload)))).isEqualTo(expected);
    }

    static Stream<Arguments> boundaryCharacters() {
        return Stream.of(
                argumentSet("U+0000 (NUL is valid UTF-8)", bytes(0x00), "\u0000"),
                argumentSet("U+007F", bytes(0x7F), "\u007F"),
                argumentSet("U+0080", bytes(0xC2, 0x80), "\u0080"),
                argumentSet("U+07FF", bytes(0xDF, 0xBF), "\u07FF"),
                argumentSet("U+0800", bytes(0xE0, 0xA0, 0x80), "\u0800"),
                argumentSet("U+D7FF, just below the surrogates", bytes(0xED, 0x9F, 0xBF), "\uD7FF"),
                argumentSet("U+E000, just above the surrogates", bytes(0xEE, 0x80, 0x80), "\uE000"),
                argumentSet("U+FFFF", bytes(0xEF, 0xBF, 0xBF), "\uFFFF"),
                argumentSet("U+10000", bytes(0xF0, 0x90, 0x80, 0x80), new String(Character.toChars(0x10000))),
                argumentSet("U+10FFFF", bytes(0xF4, 0x8F, 0xBF, 0xBF), new String(Character.toChars(0x10FFFF))));
    }

    @Test
    void needsAHeaderWhileTheHeaderIsIncomplete() throws ProtocolException {
        byte[] wire = frame("hello");
        for (int available = 0; available < FrameHeader.LENGTH; available++) {
            ByteBuffer buffer = readable(Arrays.copyOf(wire, available));

            assertThat(decoder.bytesNeeded(buffer)).as("with %d bytes", available).isEqualTo(FrameHeader.LENGTH);
        }
    }

    @Test
    void needsHeaderPlusPayloadOnceTheHeaderIsComplete() throws ProtocolException {
        ByteBuffer buffer = readable(Arrays.copyOf(frame("hello"), 66));

        assertThat(decoder.bytesNeeded(buffer)).isEqualTo(69);
        assertThat(buffer.position()).isZero();
    }

    @Test
    void refusesAnInvalidHeaderWhenAskedHowManyBytesItNeeds() {
        assertThatThrownBy(() -> decoder.bytesNeeded(readable(header("-1"))))
                .isInstanceOf(MalformedHeaderException.class);
        assertThatThrownBy(() -> decoder.bytesNeeded(readable(header(Integer.toString(MAX + 1)))))
                .isInstanceOf(PayloadTooLargeException.class);
    }

    @Test
    void sizesAReadBufferByTheBytesReceivedNotByTheBytesAnnounced() throws ProtocolException {
        FrameDecoder large = new FrameDecoder(1_048_576);
        ByteBuffer headerOnly = readable(header("1048576"));
        ByteBuffer threeThousand = readable(Arrays.copyOf(header("1048576"), 3_000));
        ByteBuffer fitting = readable(Arrays.copyOf(header("5000"), 4_100));

        assertThat(large.capacityFor(headerOnly, 4096)).as("a header alone").isEqualTo(4096);
        assertThat(large.capacityFor(threeThousand, 4096)).as("3000 bytes in").isEqualTo(6000);
        assertThat(large.capacityFor(fitting, 8192)).as("a frame that fits").isEqualTo(8192);
        assertThat(large.capacityFor(readable(Arrays.copyOf(header("5000"), 3_000)), 4096))
                .as("never beyond the frame").isEqualTo(5064);
    }

    /** Feeds a maximal frame a byte short of complete, growing as a server would: capacity stays within twice the bytes. */
    @Test
    void aBufferGrownThisWayHoldsAtMostTwiceTheBytesReceived() throws ProtocolException {
        FrameDecoder large = new FrameDecoder(1_048_576);
        byte[] wire = Arrays.copyOf(header("1048576"), 64 + 1_048_575);
        int capacity = 4096;
        for (int received = 64; received < wire.length; received += 1_000) {
            capacity = large.capacityFor(readable(Arrays.copyOf(wire, Math.min(received, capacity))), capacity);
            assertThat(capacity).as("capacity with %d bytes received", received)
                    .isLessThanOrEqualTo(Math.max(4096, 2 * received));
        }
    }

    @Test
    void givesTheLargestFrameAReadBufferMustHold() {
        assertThat(new FrameDecoder(MAX).maxFrameLength()).isEqualTo(FrameHeader.LENGTH + MAX);
        assertThat(new FrameDecoder(Integer.MAX_VALUE - FrameHeader.LENGTH).maxFrameLength())
                .isEqualTo(Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, Integer.MIN_VALUE, Integer.MAX_VALUE - FrameHeader.LENGTH + 1, Integer.MAX_VALUE})
    void refusesAMaximumWhoseFramesCouldNotBeCountedInAnInt(int maxPayload) {
        assertThatThrownBy(() -> new FrameDecoder(maxPayload))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxPayload");
    }

    @Test
    void roundTripsRandomTextInRandomChunks() throws IOException {
        SplittableRandom random = new SplittableRandom(20_240_601);
        for (int stream = 0; stream < 300; stream++) {
            List<String> sent = new ArrayList<>();
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            int frames = random.nextInt(1, 20);
            for (int i = 0; i < frames; i++) {
                String text = RandomText.of(random, 80);
                sent.add(text);
                Frame.of(text).writeTo(wire);
            }
            byte[] all = wire.toByteArray();
            ReadLoop loop = new ReadLoop(decoder);
            int maxChunk = random.nextInt(1, 300);
            for (int offset = 0; offset < all.length; ) {
                int chunk = Math.min(all.length - offset, random.nextInt(1, maxChunk + 1));
                loop.feed(Arrays.copyOfRange(all, offset, offset + chunk));
                offset += chunk;
            }

            assertThat(loop.payloads()).as("stream %d in chunks of up to %d bytes", stream, maxChunk)
                    .containsExactlyElementsOf(sent);
            assertThat(loop.pending()).isZero();
        }
    }
}

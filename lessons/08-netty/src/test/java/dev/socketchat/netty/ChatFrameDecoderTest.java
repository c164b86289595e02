package dev.socketchat.netty;

import dev.socketchat.protocol.Frame;
import dev.socketchat.protocol.FrameTimeoutException;
import dev.socketchat.protocol.MalformedHeaderException;
import dev.socketchat.protocol.MalformedPayloadException;
import dev.socketchat.protocol.PayloadTooLargeException;
import dev.socketchat.protocol.TruncatedFrameException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The frame decoder and the strict UTF-8 decoder as the pipeline runs them, in memory: Netty's
 * {@link EmbeddedChannel} feeds them bytes and collects what they pass on, with a clock the test moves.
 */
class ChatFrameDecoderTest {

    private static final int MAX_PAYLOAD = 1000;
    private static final Duration FRAME_TIMEOUT = Duration.ofSeconds(10);

    private final EmbeddedChannel channel = new EmbeddedChannel(
            new ChatFrameDecoder(MAX_PAYLOAD, FRAME_TIMEOUT), StrictUtf8Decoder.INSTANCE);

    @Test
    void framesSplitAtEveryByteOffsetArriveWholeAndInOrder() {
        byte[] wire = concat(wire("héllo €"), wire(""), wire("!who"));
        for (int split = 0; split <= wire.length; split++) {
            EmbeddedChannel fresh = new EmbeddedChannel(new ChatFrameDecoder(MAX_PAYLOAD, FRAME_TIMEOUT),
                    StrictUtf8Decoder.INSTANCE);
            fresh.writeInbound(Unpooled.wrappedBuffer(wire, 0, split));
            fresh.writeInbound(Unpooled.wrappedBuffer(wire, split, wire.length - split));

            assertThat(drain(fresh)).as("split at %d", split).containsExactly("héllo €", "", "!who");
            assertThat(fresh.finish()).isFalse();
        }
    }

    @Test
    void malformedHeaderIsRefusedAsSoonAsItsSixtyFourBytesAreInBeforeAnyPayload() {
        byte[] header = "12a".getBytes(StandardCharsets.US_ASCII);
        ByteBuf bytes = Unpooled.buffer(64).writeBytes(header).writeBytes(spaces(64 - header.length));

        assertThatThrownBy(() -> channel.writeInbound(bytes))
                .isInstanceOf(DecoderException.class)
                .hasCauseInstanceOf(MalformedHeaderException.class);
    }

    @Test
    void payloadOverTheMaximumIsRefusedFromItsHeaderAlone() {
        byte[] header = Integer.toString(MAX_PAYLOAD + 1).getBytes(StandardCharsets.US_ASCII);
        ByteBuf bytes = Unpooled.buffer(64).writeBytes(header).writeBytes(spaces(64 - header.length));

        assertThatThrownBy(() -> channel.writeInbound(bytes))
                .isInstanceOf(DecoderException.class)
                .hasCauseInstanceOf(PayloadTooLargeException.class);
    }

    @Test
    void afterAFaultWhateverElseArrivesIsDiscarded() {
        byte[] bad = concat("-1".getBytes(StandardCharsets.US_ASCII), spaces(62));
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(bad)))
                .hasCauseInstanceOf(MalformedHeaderException.class);

        channel.writeInbound(Unpooled.wrappedBuffer(wire("a frame after the fault")));

        assertThat(drain(channel)).isEmpty();
    }

    @Test
    void invalidUtf8IsRefusedWithTheSharedNamedError() {
        byte[] overlongNul = {(byte) 0xC0, (byte) 0x80};
        byte[] frame = concat("2".getBytes(StandardCharsets.US_ASCII), spaces(63), overlongNul);

        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(frame)))
                .isInstanceOf(DecoderException.class)
                .hasCauseInstanceOf(MalformedPayloadException.class);
    }

    @Test
    void endOfStreamMidFrameIsATruncatedFrame() {
        byte[] wire = wire("hello");
        channel.writeInbound(Unpooled.wrappedBuffer(wire, 0, 66));

        assertThatThrownBy(channel::finish)
                .isInstanceOf(DecoderException.class)
                .hasCauseInstanceOf(TruncatedFrameException.class)
                .hasMessageContaining("66 of 69 bytes");
    }

    @Test
    void frameNotFinishedWithinTheFrameTimeoutFailsOnTheLoopsOwnClock() {
        channel.freezeTime();
        byte[] wire = wire("hello");
        channel.writeInbound(Unpooled.wrappedBuffer(wire, 0, 10));

        channel.advanceTimeBy(FRAME_TIMEOUT.toSeconds() - 1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        channel.checkException(); // not yet

        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThatThrownBy(channel::checkException)
                .isInstanceOf(DecoderException.class)
                .hasCauseInstanceOf(FrameTimeoutException.class);
    }

    @Test
    void frameTimeoutStartsAgainForEachNewFrameAndNeverFiresForWholeFrames() {
        channel.freezeTime();
        byte[] first = wire("first");
        byte[] second = wire("second");
        channel.writeInbound(Unpooled.wrappedBuffer(first, 0, 10));
        channel.advanceTimeBy(8, TimeUnit.SECONDS);
        // The first frame ends and the second one starts in the same read, 8 s after the first began.
        channel.writeInbound(Unpooled.wrappedBuffer(concat(slice(first, 10), slice(second, 0, 10))));
        channel.advanceTimeBy(8, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        channel.checkException(); // 16 s since the first frame began, but only 8 s into the second

        channel.writeInbound(Unpooled.wrappedBuffer(slice(second, 10)));
        channel.advanceTimeBy(60, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        channel.checkException(); // nothing unfinished: no timeout, however long the client is silent
        assertThat(drain(channel)).containsExactly("first", "second");
    }

    private static List<String> drain(EmbeddedChannel channel) {
        List<String> payloads = new ArrayList<>();
        String payload;
        while ((payload = channel.readInbound()) != null) {
            payloads.add(payload);
        }
        return payloads;
    }

    private static byte[] wire(String payload) {
        byte[] bytes = new byte[Frame.of(payload).wireLength()];
        Frame.of(payload).buffer().get(bytes);
        return bytes;
    }

    private static byte[] spaces(int count) {
        return " ".repeat(count).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] slice(byte[] bytes, int from) {
        return slice(bytes, from, bytes.length);
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        return Arrays.copyOfRange(bytes, from, to);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}

package dev.socketchat.netty;

import dev.socketchat.protocol.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox's rules on an {@link EmbeddedChannel}, whose loop runs the drain task only when the test
 * says so: until then the frames wait in the outbox's queue, as they would while the member's loop is
 * busy, and count against the limit there.
 */
class ChannelOutboxTest {

    /** Three one-letter frames (65 bytes each) fit, a fourth does not. */
    private static final int LIMIT = 200;

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final List<String> events = new ArrayList<>();
    private final ChannelOutbox outbox;

    ChannelOutboxTest() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(LIMIT / 2, LIMIT));
        outbox = new ChannelOutbox(channel, LIMIT, CopiedBurst::new, () -> events.add("closed"));
    }

    @AfterEach
    void releaseEverything() {
        channel.finishAndReleaseAll();
    }

    @Test
    void framesCountUntilWrittenAndTheOneThatWouldPassTheLimitIsRefused() {
        assertThat(outbox.offer(Frame.of("a"))).isTrue();
        assertThat(outbox.offer(Frame.of("b"))).isTrue();
        assertThat(outbox.offer(Frame.of("c"))).isTrue();
        assertThat(outbox.offer(Frame.of("d"))).as("260 bytes would be unwritten").isFalse();

        channel.runPendingTasks(); // the member's loop drains: a, b and c are written

        assertThat(written()).containsExactly("a", "b", "c");
        assertThat(outbox.offer(Frame.of("d"))).as("written bytes no longer count").isTrue();
    }

    /**
     * Netty drops a channel's outbound buffer before it closes the socket: in between the channel is
     * open and not writable. A notice offered from another loop in that moment (a client's reset racing
     * a join) must not make the room drop the member as too slow; the contract suite's reset check
     * caught it once in a full run.
     */
    @Test
    void aChannelBeingClosedIsNotTakenForASlowOne() {
        List<Boolean> offeredWhileClosing = new ArrayList<>();
        EmbeddedChannel closing = new EmbeddedChannel() {
            @Override
            protected void doClose() throws Exception {
                offeredWhileClosing.add(new ChannelOutbox(this, LIMIT, CopiedBurst::new, () -> { }).offer(Frame.of("* guest-2 joined")));
                super.doClose();
            }
        };

        closing.close();

        assertThat(offeredWhileClosing).containsExactly(true);
    }

    @Test
    void oneFrameIsAlwaysAcceptedWhenNothingIsPendingWhateverItsSize() {
        assertThat(outbox.offer(Frame.of("x".repeat(2 * LIMIT)))).isTrue();
        assertThat(outbox.offer(Frame.of("y"))).isFalse();
    }

    @Test
    void closeRunsOnTheLoopAfterEveryFrameOfferedBeforeItIsWritten() {
        outbox.offer(Frame.of("first"));
        outbox.offer(Frame.of("last words"));
        outbox.close();
        assertThat(outbox.offer(Frame.of("too late"))).as("a leaving member is not slow").isTrue();
        assertThat(events).isEmpty();

        channel.runPendingTasks();

        assertThat(written()).containsExactly("first", "last words");
        assertThat(events).containsExactly("closed");
    }

    @Test
    void abortClosesTheChannelAndDropsWhatWasStillQueued() {
        outbox.offer(Frame.of("never written"));

        outbox.abort();
        channel.runPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat(written()).isEmpty();
    }

    @Test
    void aBurstIsWrittenAsOneBufferInTheRoomsOrder() {
        outbox.offer(Frame.of("a"));
        outbox.offer(Frame.of("b"));
        outbox.offer(Frame.of("c"));

        channel.runPendingTasks();

        ByteBuf burst = channel.readOutbound();
        assertThat(burst.isDirect()).isTrue();
        assertThat(burst.toString(StandardCharsets.UTF_8))
                .isEqualTo(wire("a") + wire("b") + wire("c"));
        burst.release();
        assertThat(channel.<Object>readOutbound()).as("nothing after the one buffer").isNull();
    }

    private static String wire(String payload) {
        return StandardCharsets.UTF_8.decode(Frame.of(payload).buffer()).toString();
    }

    /** The payloads of every frame written to the channel so far, cut out of the bursts. */
    private List<String> written() {
        List<String> payloads = new ArrayList<>();
        ByteBuf burst;
        while ((burst = channel.readOutbound()) != null) {
            while (burst.isReadable()) {
                int length = Integer.parseInt(burst.readCharSequence(64, StandardCharsets.US_ASCII).toString().strip());
                payloads.add(burst.readCharSequence(length, StandardCharsets.UTF_8).toString());
            }
            burst.release();
        }
        return payloads;
    }
}

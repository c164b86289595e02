package dev.socketchat.netty;

import dev.socketchat.protocol.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
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
    private final SharedFrames frames = new SharedFrames(ByteBufAllocator.DEFAULT);
    private final List<String> events = new ArrayList<>();
    private final ChannelOutbox outbox;

    ChannelOutboxTest() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(LIMIT / 2, LIMIT));
        outbox = new ChannelOutbox(channel, frames, LIMIT, () -> events.add("closed"));
    }

    @AfterEach
    void releaseEverything() {
        channel.finishAndReleaseAll();
        frames.release();
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
    void abortClosesTheChannelAndReleasesWhatWasStillQueued() {
        Frame frame = Frame.of("never written");
        outbox.offer(frame);
        ByteBuf shared = frames.retainedDuplicate(frame).unwrap();
        shared.release(); // the test's own duplicate
        assertThat(shared.refCnt()).as("the cache's reference and the queued duplicate's").isEqualTo(2);

        outbox.abort();
        channel.runPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat(written()).isEmpty();
        assertThat(shared.refCnt()).as("only the cache's reference is left").isEqualTo(1);
    }

    private List<String> written() {
        List<String> payloads = new ArrayList<>();
        ByteBuf frame;
        while ((frame = channel.readOutbound()) != null) {
            payloads.add(frame.toString(64, frame.readableBytes() - 64, StandardCharsets.UTF_8));
            frame.release();
        }
        return payloads;
    }
}

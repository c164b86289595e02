package dev.socketchat.netty;

import dev.socketchat.protocol.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** One broadcast, one buffer: what every recipient gets, and when the memory goes back. */
class SharedFramesTest {

    private final SharedFrames frames = new SharedFrames(ByteBufAllocator.DEFAULT);

    @Test
    void everyRecipientOfOneFrameGetsADuplicateOfOneDirectBuffer() {
        Frame broadcast = Frame.of("[alice] hi");

        ByteBuf forBob = frames.retainedDuplicate(broadcast);
        ByteBuf forCarol = frames.retainedDuplicate(broadcast);

        assertThat(forBob.unwrap()).as("the same memory, not a copy").isSameAs(forCarol.unwrap());
        assertThat(forBob.isDirect()).isTrue();
        assertThat(forBob.readerIndex(10)).as("each has its own reader index").isNotSameAs(forCarol);
        assertThat(forCarol.readerIndex()).isZero();
        assertThat(forCarol.toString(StandardCharsets.UTF_8)).endsWith("[alice] hi");
        forBob.release();
        forCarol.release();
        frames.release();
    }

    @Test
    void theBufferIsFreedOnceEveryRecipientAndTheCacheHaveLetGo() {
        ByteBuf forBob = frames.retainedDuplicate(Frame.of("one"));
        ByteBuf shared = forBob.unwrap();
        ByteBuf forCarol = frames.retainedDuplicate(Frame.of("two")); // the next broadcast: "one" is let go here

        assertThat(shared.refCnt()).as("only bob's reference is left").isEqualTo(1);
        forBob.release();
        assertThat(shared.refCnt()).isZero();
        assertThat(forCarol.unwrap()).isNotSameAs(shared);
        forCarol.release();
        frames.release();
        assertThat(forCarol.unwrap().refCnt()).isZero();
    }
}

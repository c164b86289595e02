package dev.socketchat.bench;

import dev.socketchat.netty.Burst;
import dev.socketchat.protocol.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The experiment's burst on {@link EmbeddedChannel}s standing for members: what reaches the
 * channels, what is shared between recipients, and that every reference taken is given back.
 */
class SharedDuplicatesBurstTest {

    private final EmbeddedChannel alice = new EmbeddedChannel();
    private final EmbeddedChannel bob = new EmbeddedChannel();
    private final SharedFrames shared = new SharedFrames(ByteBufAllocator.DEFAULT);

    @AfterEach
    void releaseEverything() {
        alice.finishAndReleaseAll();
        bob.finishAndReleaseAll();
        shared.release();
    }

    @Test
    void giveEveryRecipientTheSameMemoryOneMessagePerFrame() {
        Frame hello = Frame.of("[carol] hello");
        Frame bye = Frame.of("[carol] bye");
        Burst toAlice = new SharedDuplicatesBurst(shared);
        Burst toBob = new SharedDuplicatesBurst(shared);
        // As the room offers: each frame to every member before the next frame.
        toAlice.add(hello);
        toBob.add(hello);
        toAlice.add(bye);
        toBob.add(bye);

        toAlice.writeTo(alice);
        toBob.writeTo(bob);

        List<ByteBuf> aliceGot = outbound(alice);
        List<ByteBuf> bobGot = outbound(bob);
        assertThat(aliceGot).extracting(buffer -> buffer.toString(StandardCharsets.UTF_8))
                .containsExactly(wire("[carol] hello"), wire("[carol] bye"));
        assertThat(bobGot).extracting(buffer -> buffer.toString(StandardCharsets.UTF_8))
                .containsExactly(wire("[carol] hello"), wire("[carol] bye"));
        assertThat(aliceGot.get(1).memoryAddress()).as("one buffer for the last frame, no copy per recipient")
                .isEqualTo(bobGot.get(1).memoryAddress());
        ByteBuf lastFrame = aliceGot.get(1).unwrap();
        assertThat(lastFrame.refCnt()).as("held by the shared frames and by each recipient").isEqualTo(3);

        aliceGot.forEach(ByteBuf::release);
        bobGot.forEach(ByteBuf::release);
        shared.release();
        assertThat(lastFrame.refCnt()).as("every reference given back").isZero();
    }

    @Test
    void discardingGivesTheReferencesBack() {
        Frame frame = Frame.of("never written");
        Burst burst = new SharedDuplicatesBurst(shared);
        burst.add(frame);
        ByteBuf sharedBuffer = shared.retainedDuplicate(frame);
        int withTheBurst = sharedBuffer.refCnt();

        burst.discard();

        assertThat(burst.isEmpty()).isTrue();
        assertThat(sharedBuffer.refCnt()).isEqualTo(withTheBurst - 1);
        sharedBuffer.release();
    }

    private static List<ByteBuf> outbound(EmbeddedChannel channel) {
        List<ByteBuf> written = new ArrayList<>();
        ByteBuf buffer;
        while ((buffer = channel.readOutbound()) != null) {
            written.add(buffer);
        }
        return written;
    }

    private static String wire(String payload) {
        return StandardCharsets.UTF_8.decode(Frame.of(payload).buffer()).toString();
    }
}

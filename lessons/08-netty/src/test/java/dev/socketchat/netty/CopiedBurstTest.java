package dev.socketchat.netty;

import dev.socketchat.protocol.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** What the lesson's drain hands Netty, on an {@link EmbeddedChannel} standing for a member. */
class CopiedBurstTest {

    private final EmbeddedChannel alice = new EmbeddedChannel();

    @AfterEach
    void releaseEverything() {
        alice.finishAndReleaseAll();
    }

    @Test
    void writesTheWholeBurstAsOneDirectBufferAndIsEmptyAfter() {
        Burst burst = new CopiedBurst();
        burst.add(Frame.of("a"));
        burst.add(Frame.of("b"));

        burst.writeTo(alice);

        ByteBuf written = alice.readOutbound();
        assertThat(alice.<ByteBuf>readOutbound()).as("one message for the whole burst").isNull();
        assertThat(written.isDirect()).isTrue();
        assertThat(written.toString(StandardCharsets.UTF_8)).isEqualTo(wire("a") + wire("b"));
        assertThat(burst.isEmpty()).isTrue();
        written.release();
    }

    private static String wire(String payload) {
        return StandardCharsets.UTF_8.decode(Frame.of(payload).buffer()).toString();
    }
}

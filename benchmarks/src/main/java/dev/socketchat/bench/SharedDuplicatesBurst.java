package dev.socketchat.bench;

import dev.socketchat.netty.Burst;
import dev.socketchat.protocol.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.util.ArrayList;
import java.util.List;

/**
 * Netty's textbook broadcast, as a {@link Burst} of lesson 08's outbox: one direct buffer per frame
 * for all its recipients ({@link SharedFrames}), each recipient writing a retained duplicate of it.
 *
 * <pre>
 *  [ dup | dup | dup ] ──drain──► write, write, write, flush
 *   each a retained duplicate of one direct buffer per frame, shared by every recipient
 * </pre>
 *
 * <p>It copies nothing per recipient, but every duplicate is a message of its own in the channel's
 * outbound buffer, which the lesson's copy into one buffer per burst avoids; the variant
 * {@code netty-shared-duplicates} measures the difference. The duplicate is taken when the room
 * offers the frame, under the room's lock, where each frame goes to every member before the next.
 */
final class SharedDuplicatesBurst implements Burst {

    private final SharedFrames shared;
    private final List<ByteBuf> duplicates = new ArrayList<>();

    SharedDuplicatesBurst(SharedFrames shared) {
        this.shared = shared;
    }

    @Override
    public void add(Frame frame) {
        duplicates.add(shared.retainedDuplicate(frame));
    }

    @Override
    public boolean isEmpty() {
        return duplicates.isEmpty();
    }

    @Override
    public void writeTo(Channel channel) {
        // Netty releases each duplicate once the socket has taken it, or the write has failed.
        for (ByteBuf duplicate : duplicates) {
            channel.write(duplicate, channel.voidPromise());
        }
        channel.flush();
        duplicates.clear();
    }

    @Override
    public void discard() {
        duplicates.forEach(ByteBuf::release);
        duplicates.clear();
    }
}

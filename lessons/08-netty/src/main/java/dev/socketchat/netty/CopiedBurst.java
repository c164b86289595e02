package dev.socketchat.netty;

import dev.socketchat.protocol.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.util.ArrayList;
import java.util.List;

/**
 * The lesson's burst: the room's own frames, copied by the drain into one pooled direct buffer,
 * written and flushed once.
 *
 * <pre>
 *  [ frame | frame | frame ] ──drain──► one pooled direct buffer ─► write, flush
 *   the room's own frames                (each frame copied, once per recipient)
 * </pre>
 *
 * <p>One message in the channel's outbound buffer and one write to the socket, whatever the number
 * of frames. Sharing one buffer per frame between recipients instead copies nothing per recipient,
 * but every shared frame is then a message of its own in each channel's outbound buffer: an entry
 * with its own reference count, its own place in the gathering write, its own release. For a chat
 * frame of a few dozen bytes that bookkeeping costs more than the copy it saves; the lesson's
 * README shows the profile and the benchmarks measure both.
 */
final class CopiedBurst implements Burst {

    private final List<Frame> frames = new ArrayList<>();
    private int bytes;

    @Override
    public void add(Frame frame) {
        frames.add(frame);
        bytes += frame.wireLength();
    }

    @Override
    public boolean isEmpty() {
        return frames.isEmpty();
    }

    @Override
    public void writeTo(Channel channel) {
        // Direct: from a heap buffer the transport would copy into a direct one anyway. The size
        // fits an int: a burst is at most the outbound limit, the channel's (int) high water
        // mark, or one frame alone.
        ByteBuf out = channel.alloc().directBuffer(bytes);
        for (Frame frame : frames) {
            out.writeBytes(frame.buffer());
        }
        // The void promise: no future per write. A failed write closes the channel, which then
        // leaves the room.
        channel.writeAndFlush(out, channel.voidPromise());
        discard();
    }

    @Override
    public void discard() {
        frames.clear(); // plain heap frames: nothing to release
        bytes = 0;
    }
}

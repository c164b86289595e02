package dev.socketchat.netty;

import dev.socketchat.protocol.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.util.ArrayList;
import java.util.List;

/**
 * The frames a member's outbox holds for its next drain, and how the drain hands them to Netty.
 * There are two ways ({@link BurstWrite}); the lesson's server uses the first.
 *
 * <pre>
 *  Copied              [ frame | frame | frame ] ──drain──► one pooled direct buffer ─► write, flush
 *                      the room's own frames                 (each frame copied, once per recipient)
 *
 *  SharedDuplicates    [ dup | dup | dup ] ──drain──► write, write, write, flush
 *                      each a retained duplicate of one direct buffer per frame, shared by every recipient
 * </pre>
 *
 * <p>Sharing copies nothing per recipient, and is how Netty's documentation broadcasts. But every
 * duplicate is a message of its own in the channel's outbound buffer: an entry with its own
 * reference count, its own place in the gathering write, its own release. For a chat frame of a
 * few dozen bytes that bookkeeping costs more than the copy it saves; the lesson's README shows the
 * profile and the benchmarks measure both.
 *
 * <p>An outbox adds to its burst under its own lock, on whichever thread the room offers from; the
 * drain writes or discards it on the channel's loop, after taking it from the outbox in one swap,
 * so that no two threads touch one burst at once.
 */
abstract sealed class Burst {

    /** Adds a frame offered by the room. */
    abstract void add(Frame frame);

    abstract boolean isEmpty();

    /** Writes everything added and flushes once; the burst is empty again after. */
    abstract void writeTo(Channel channel);

    /** Lets go of everything added, unwritten; the burst is empty again after. */
    abstract void discard();

    /** The lesson's way: the drain copies the burst into one pooled direct buffer. */
    static final class Copied extends Burst {

        private final List<Frame> frames = new ArrayList<>();
        private int bytes;

        @Override
        void add(Frame frame) {
            frames.add(frame);
            bytes += frame.wireLength();
        }

        @Override
        boolean isEmpty() {
            return frames.isEmpty();
        }

        @Override
        void writeTo(Channel channel) {
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
        void discard() {
            frames.clear(); // plain heap frames: nothing to release
            bytes = 0;
        }
    }

    /** Netty's textbook broadcast: one direct buffer per frame, a retained duplicate per recipient. */
    static final class SharedDuplicates extends Burst {

        private final SharedFrames shared;
        private final List<ByteBuf> duplicates = new ArrayList<>();

        SharedDuplicates(SharedFrames shared) {
            this.shared = shared;
        }

        @Override
        void add(Frame frame) {
            duplicates.add(shared.retainedDuplicate(frame));
        }

        @Override
        boolean isEmpty() {
            return duplicates.isEmpty();
        }

        @Override
        void writeTo(Channel channel) {
            // Netty releases each duplicate once the socket has taken it, or the write has failed.
            for (ByteBuf duplicate : duplicates) {
                channel.write(duplicate, channel.voidPromise());
            }
            channel.flush();
            duplicates.clear();
        }

        @Override
        void discard() {
            duplicates.forEach(ByteBuf::release);
            duplicates.clear();
        }
    }
}

package dev.socketchat.netty;

import dev.socketchat.protocol.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Puts each frame the room sends into one direct buffer, once, and gives every recipient a
 * retained duplicate of it: its own reader index over the same memory, and one more reference.
 *
 * <pre>
 *   room broadcasts "[alice] hi" to 3 members
 *     ─► one direct ByteBuf, refCnt 1 (held here)
 *          ├─ retainedDuplicate() ─► alice's channel   refCnt 2
 *          ├─ retainedDuplicate() ─► bob's channel     refCnt 3
 *          └─ retainedDuplicate() ─► carol's channel   refCnt 4
 *   each channel releases its duplicate once written (or failed); this class releases its own
 *   reference when the next frame comes, and the memory goes back to the pool at zero.
 * </pre>
 *
 * <p>Why direct: a socket write from a heap buffer would first be copied into a direct one by the
 * transport, once per recipient; from a direct buffer it goes to the kernel as it is.
 *
 * <p>The room offers one frame to every member before it offers the next, under its lock, so
 * remembering the last frame is enough to encode each broadcast exactly once. The methods are
 * synchronized anyway, so that correctness does not hang on how the room calls them; the lock is
 * never contended.
 */
final class SharedFrames {

    private final ByteBufAllocator allocator;
    private Frame lastFrame;
    private ByteBuf lastBuffer;

    SharedFrames(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    /** The frame's wire bytes for one recipient, who must write or release it. */
    synchronized ByteBuf retainedDuplicate(Frame frame) {
        if (frame != lastFrame) {
            release();
            ByteBuf buffer = allocator.directBuffer(frame.wireLength());
            lastBuffer = buffer.writeBytes(frame.buffer());
            lastFrame = frame;
        }
        return lastBuffer.retainedDuplicate();
    }

    /** Drops this class's reference to the last frame; recipients keep theirs. */
    synchronized void release() {
        if (lastBuffer != null) {
            lastBuffer.release();
            lastBuffer = null;
            lastFrame = null;
        }
    }
}

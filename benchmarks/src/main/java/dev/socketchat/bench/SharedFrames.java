package dev.socketchat.bench;

import dev.socketchat.protocol.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * For {@link SharedDuplicatesBurst}: puts each frame the room sends into one direct buffer, once,
 * and gives every recipient a retained duplicate of it: its own reader index over the same memory,
 * and one more reference.
 *
 * <pre>
 *   room broadcasts "[alice] hi" to 3 members
 *     ─► one direct ByteBuf, refCnt 1 (held here)
 *          ├─ retainedDuplicate() ─► alice's outbox   refCnt 2
 *          ├─ retainedDuplicate() ─► bob's outbox     refCnt 3
 *          └─ retainedDuplicate() ─► carol's outbox   refCnt 4
 *   each duplicate is released once written (or discarded); this class lets go of its own
 *   reference when the next frame comes, and the memory goes back to the pool at zero.
 * </pre>
 *
 * <p>The room offers one frame to every member before it offers the next, under its lock, so
 * remembering the last frame is enough to put each broadcast in a buffer exactly once. The methods
 * are synchronized anyway, so that correctness does not hang on how the room calls them; the lock
 * is never contended.
 */
final class SharedFrames {

    private final ByteBufAllocator allocator;
    private Frame lastFrame;
    private ByteBuf lastBuffer;

    SharedFrames(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    /** The frame's wire bytes for one recipient, who must write or release them. */
    synchronized ByteBuf retainedDuplicate(Frame frame) {
        if (frame != lastFrame) {
            release();
            lastBuffer = allocator.directBuffer(frame.wireLength()).writeBytes(frame.buffer());
            lastFrame = frame;
        }
        return lastBuffer.retainedDuplicate();
    }

    /** Lets go of this class's reference to the last frame; recipients keep theirs. */
    synchronized void release() {
        if (lastBuffer != null) {
            lastBuffer.release();
            lastBuffer = null;
            lastFrame = null;
        }
    }
}

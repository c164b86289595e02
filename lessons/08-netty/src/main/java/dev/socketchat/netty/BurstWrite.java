package dev.socketchat.netty;

/**
 * How a member's outbox hands a burst of frames to Netty. The lesson's server copies; sharing is
 * the way Netty's own documentation broadcasts, kept so that the benchmarks can measure the two side
 * by side (the variant {@code netty-shared-duplicates}). Both are described in {@link Burst}.
 */
public enum BurstWrite {
    /** The frames of a burst copied into one pooled direct buffer: one message, one write. The lesson's way. */
    COPY_INTO_ONE_BUFFER,
    /** Each frame in one direct buffer for all its recipients, each writing a retained duplicate of it. */
    SHARED_DUPLICATES
}

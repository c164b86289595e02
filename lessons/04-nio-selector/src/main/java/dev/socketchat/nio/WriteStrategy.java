package dev.socketchat.nio;

/**
 * How a connection hands its queued frames to the socket: a teaching switch, so that the benchmarks
 * can show what coalescing buys. The registered model always coalesces.
 *
 * <p>Frames pile up for a client whenever the loop produces them faster than it writes: a burst of
 * pipelined {@code !ping}s read in one go, or a broadcast to a busy room. Each {@code write} is a
 * system call, so the number of calls per frame is what the two strategies differ in.
 */
public enum WriteStrategy {

    /** Everything queued for a client leaves in one gathering {@code write(ByteBuffer[])} per turn. */
    COALESCED,

    /** One {@code write(ByteBuffer)} per frame: what a naive event loop does, for comparison only. */
    ONE_WRITE_PER_FRAME
}

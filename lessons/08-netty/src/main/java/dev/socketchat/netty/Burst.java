package dev.socketchat.netty;

import dev.socketchat.protocol.Frame;
import io.netty.channel.Channel;

/**
 * The frames a member's outbox holds for its next drain, and how the drain hands them to Netty: the
 * one decision about bytes in {@link ChannelOutbox}, whose queue, order and limit stay the same
 * whatever it is. The lesson's server copies each burst into one pooled direct buffer
 * ({@link CopiedBurst}); a subclass of the server overriding {@link NettyServer#newBurst()} hands
 * bursts over another way, such as Netty's textbook broadcast of one shared buffer per frame, which
 * the benchmarks measure against the copy.
 *
 * <p>An outbox adds to its burst under its own lock, on whichever thread the room offers from; the
 * drain writes or discards it on the channel's loop, after taking it from the outbox in one swap,
 * so that no two threads touch one burst at once.
 */
public interface Burst {

    /** Adds a frame offered by the room. */
    void add(Frame frame);

    boolean isEmpty();

    /** Writes everything added and flushes once; the burst is empty again after. */
    void writeTo(Channel channel);

    /** Lets go of everything added, unwritten; the burst is empty again after. */
    void discard();
}

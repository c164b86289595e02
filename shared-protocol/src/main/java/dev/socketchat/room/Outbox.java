package dev.socketchat.room;

import dev.socketchat.protocol.Frame;

/**
 * Where the room puts the frames for one member; the server's I/O model takes them out and writes
 * them to the member's connection, at whatever pace that connection allows.
 *
 * <p>This is the seam between the room, which decides who receives what and in which order, and
 * the lesson, which decides how bytes reach a socket. The room only ever calls these three methods,
 * always without blocking, so a client that never reads can never stall the room or anyone in it.
 * {@link BoundedOutbox} is the implementation that every lesson shares.
 */
public interface Outbox {

    /**
     * Queues a frame for writing, without blocking.
     *
     * @return {@code false} if this would take the member past its outbound limit: it is a slow
     *         consumer, and the room drops it
     */
    boolean offer(Frame frame);

    /** Writes out what is queued, then closes the connection: a leave, a refusal or a shutdown. */
    void close();

    /** Closes the connection now and discards what is queued: the member was dropped as too slow. */
    void abort();
}

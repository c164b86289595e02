package dev.socketchat.room;

import java.util.List;
import java.util.function.Consumer;

/**
 * Who decides the one order of a room shared by several servers, and who is in it under which name:
 * the part of the room that is room-wide rather than this server's. {@link ChatRoom} keeps this
 * server's members, their outboxes and its limits; every change that every member of the room must
 * see (a join, a message, a rename, a leave) goes through here, and comes back as a
 * {@link RoomEvent} in the one order.
 *
 * <p>A server on its own has no log: its room's lock is the order, and a message goes straight
 * into the outboxes. A broker-backed log (lesson 09: a Redis stream) spans servers: each change is
 * appended to the broker, and a reader hands back everyone's events in the broker's order, on its
 * own thread. Since a model only ever talks to {@link ChatRoom}, any model serves a room across
 * servers without a change of its own (docs/protocol.md §10). {@link RoomLogs} finds the log.
 *
 * <h2>The contract</h2>
 * <ul>
 *   <li>Every event reaches the consumer given to {@link #start} once, in one order that is the same
 *       on every server.</li>
 *   <li>{@link #join}, {@link #say} and {@link #rename} return only once their own event has been
 *       handed to the consumer: a server never delivers a frame before its place in the order is
 *       known, and a member sees its own message before the reply to its next command.</li>
 *   <li>The room never calls the log while it holds its own lock; the log may call the consumer
 *       while holding one of its own.</li>
 *   <li>Member ids are this server's ({@link Member#id()}); names are room-wide, unique ignoring case.</li>
 * </ul>
 */
public interface RoomLog {

    /** Where events go from now on. Called once, before any other method. */
    void start(Consumer<RoomEvent> consumer);

    /** Admits a member under a fresh {@code guest-<k>} name; its {@link RoomEvent.Kind#JOINED} event carries the name. */
    void join(long member) throws RoomUnavailableException;

    /** The member says {@code text} to the room. */
    void say(long member, String text) throws RoomUnavailableException;

    /**
     * Renames the member, if no other member of the room has that name, ignoring case.
     *
     * @return false if the name is taken: nothing happened
     */
    boolean rename(long member, String newName) throws RoomUnavailableException;

    /**
     * The member has left; everyone is told, with {@code reason} (for example {@code too slow}) after
     * the name, or without one if empty. Never fails: a log that cannot announce the leave now does so
     * as soon as it can, so that the name does not stay taken.
     */
    void leave(long member, String reason);

    /** Every member's name, on every server. */
    List<String> names() throws RoomUnavailableException;

    /** This server leaves the room: its remaining members leave, and whatever the log runs stops. */
    void close();
}

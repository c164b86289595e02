package dev.socketchat.room;

/**
 * One room frame in the room's one order, as a {@link RoomLog} hands it back to each server's
 * {@link ChatRoom}: who joined, said, was renamed or left. The room turns it into the frame its
 * members receive ({@code * alice joined}, {@code [alice] hi}, ...).
 *
 * @param kind   what happened
 * @param member the id of the member concerned if it is this server's member, or 0 if it is another
 *               server's: the room welcomes its own joiners and renames its own members, and
 *               disconnects its own member whose leave it did not ask for (another server ended it)
 * @param name   the member's name when it happened (the old name for a rename)
 * @param detail the text said, the new name, or the reason shown after a leave ({@code too slow},
 *               {@code server lost}); empty otherwise
 * @param online how many members the room had just after a join; 0 for other kinds
 */
public record RoomEvent(Kind kind, long member, String name, String detail, int online) {

    /** What a room event records. */
    public enum Kind {
        JOINED, SAID, RENAMED, LEFT,
        /**
         * The log cannot hand back some events: a broker trimmed them, or restarted empty. The detail
         * is how many, where the log knows it; empty otherwise.
         */
        MISSED,
        /** The log cannot carry the room until further notice; the detail says why. */
        UNAVAILABLE,
        /** The log carries the room again after {@link #UNAVAILABLE}. */
        AVAILABLE
    }

    public static RoomEvent joined(long member, String name, int online) {
        return new RoomEvent(Kind.JOINED, member, name, "", online);
    }

    public static RoomEvent said(long member, String name, String text) {
        return new RoomEvent(Kind.SAID, member, name, text, 0);
    }

    public static RoomEvent renamed(long member, String oldName, String newName) {
        return new RoomEvent(Kind.RENAMED, member, oldName, newName, 0);
    }

    public static RoomEvent left(long member, String name, String reason) {
        return new RoomEvent(Kind.LEFT, member, name, reason, 0);
    }

    /** {@code count} events are lost; 0 if the log cannot tell how many. */
    public static RoomEvent missed(long count) {
        return new RoomEvent(Kind.MISSED, 0, "", count > 0 ? Long.toString(count) : "", 0);
    }

    public static RoomEvent unavailable(String why) {
        return new RoomEvent(Kind.UNAVAILABLE, 0, "", why, 0);
    }

    public static RoomEvent available() {
        return new RoomEvent(Kind.AVAILABLE, 0, "", "", 0);
    }
}

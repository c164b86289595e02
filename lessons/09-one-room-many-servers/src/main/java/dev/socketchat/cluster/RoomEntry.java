package dev.socketchat.cluster;

import dev.socketchat.room.ChatRoom;
import dev.socketchat.room.RoomEvent;

import java.util.Map;

/**
 * One entry of the room's stream, read. Anyone who can reach Redis can append anything to the
 * stream ({@code redis-cli XADD chat:stream '*' garbage x}), so every field is checked before the
 * room sees it: an entry that is not one the room's script writes is refused with the reason, and
 * the reader skips it instead of dying on it.
 *
 * @param event  what the room is told
 * @param number the entry's place in the room's count ({@code q}), or 0 if it has none
 */
record RoomEntry(RoomEvent event, long number) {

    /**
     * Reads an entry's fields as {@code server} sees them: its own members by id, everyone else's as 0.
     *
     * @throws IllegalArgumentException saying what is wrong with the entry
     */
    static RoomEntry read(String server, Map<String, String> fields) {
        RoomEvent.Kind kind = kind(field(fields, "k"));
        String name = field(fields, "n");
        String detail = field(fields, "d");
        if (!ChatRoom.isValidName(name) || kind == RoomEvent.Kind.RENAMED && !ChatRoom.isValidName(detail)) {
            throw new IllegalArgumentException("a name is not a valid name");
        }
        long member = server.equals(field(fields, "s")) ? number(fields, "m", 1) : 0;
        int online = Math.toIntExact(Math.min(number(fields, "o", 0), Integer.MAX_VALUE));
        long place = fields.containsKey("q") ? number(fields, "q", 1) : 0;
        return new RoomEntry(new RoomEvent(kind, member, name, detail, online), place);
    }

    private static RoomEvent.Kind kind(String text) {
        return switch (text) {
            case "JOINED" -> RoomEvent.Kind.JOINED;
            case "SAID" -> RoomEvent.Kind.SAID;
            case "RENAMED" -> RoomEvent.Kind.RENAMED;
            case "LEFT" -> RoomEvent.Kind.LEFT;
            default -> throw new IllegalArgumentException("k is not a kind of room entry");
        };
    }

    private static String field(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no field " + name);
        }
        return value;
    }

    private static long number(Map<String, String> fields, String name, long least) {
        String text = field(fields, name);
        try {
            long value = Long.parseLong(text);
            if (value >= least) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // said below, as for a number out of range
        }
        throw new IllegalArgumentException(name + " is not a number of at least " + least);
    }
}

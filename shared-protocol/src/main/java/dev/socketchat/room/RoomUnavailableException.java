package dev.socketchat.room;

/**
 * The room's {@link RoomLog} cannot take a change now: the broker that orders a room spread over
 * several servers is unreachable. The member who asked gets {@code !error room unavailable}
 * (docs/protocol.md §10); nothing is queued to be sent later.
 */
public final class RoomUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public RoomUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

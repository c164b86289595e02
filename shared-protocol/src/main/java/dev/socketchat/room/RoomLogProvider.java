package dev.socketchat.room;

import dev.socketchat.server.ServerOptions;

import java.net.URI;

/**
 * A kind of broker that can carry a room across servers, found with {@link java.util.ServiceLoader}
 * by the scheme of {@code --cluster} ({@code redis} for lesson 09). A lesson registers it in
 * {@code META-INF/services/dev.socketchat.room.RoomLogProvider}; {@link RoomLogs} picks it.
 */
public interface RoomLogProvider {

    /** The URI scheme it serves, such as {@code redis}. */
    String scheme();

    /**
     * A log for a room on this broker. Connects lazily: no I/O and no thread until the first join.
     *
     * @throws IllegalArgumentException if the address is not one this provider understands
     */
    RoomLog open(URI broker, ServerOptions options);
}

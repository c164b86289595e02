package dev.socketchat.room;

import dev.socketchat.server.ServerOptions;

import java.io.IOException;
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
     * @param console where the log tells the operator what the broker does to the room (lost, back,
     *                entries it cannot read), in the console's own format
     * @throws IllegalArgumentException if the address is not one this provider understands
     */
    RoomLog open(URI broker, ServerOptions options, ServerConsole console);

    /**
     * Reaches the broker once, so that a server started against a broker that is not there says so at
     * start instead of refusing every client later.
     *
     * @return what the server's start line adds, naming the broker (never its password)
     * @throws IOException naming the broker's address, if it cannot be reached within a few seconds
     */
    String reach(URI broker) throws IOException;
}

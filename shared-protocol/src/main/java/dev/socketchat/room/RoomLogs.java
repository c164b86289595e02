package dev.socketchat.room;

import dev.socketchat.server.ServerOptions;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds the {@link RoomLog} of a room shared by several servers: the provider whose scheme
 * {@link ServerOptions#cluster()} names ({@code redis://...}). A server on its own needs none: its
 * {@link ChatRoom} orders the room with its own lock.
 */
public final class RoomLogs {

    private RoomLogs() {
    }

    /** The log for a room with these options, empty for a server on its own; never performs I/O. */
    public static Optional<RoomLog> open(ServerOptions options, ServerConsole console) {
        if (!options.clustered()) {
            return Optional.empty();
        }
        URI broker = broker(options);
        return Optional.of(provider(broker).open(broker, options, console));
    }

    /**
     * For a clustered server, reaches its broker now ({@link RoomLogProvider#reach}); for a server on
     * its own, does nothing.
     *
     * @return what the start line adds, such as {@code shares room chat through Redis at 127.0.0.1:6379};
     *         empty for a server on its own
     * @throws IOException naming the broker, if it cannot be reached
     */
    public static Optional<String> reach(ServerOptions options) throws IOException {
        if (!options.clustered()) {
            return Optional.empty();
        }
        URI broker = broker(options);
        return Optional.of(provider(broker).reach(broker));
    }

    /** Whether {@code address} is a URI with a host whose scheme a provider on the class path serves. */
    public static boolean supports(String address) {
        return parse(address).flatMap(uri -> provider(uri.getScheme())).isPresent();
    }

    private static URI broker(ServerOptions options) {
        return parse(options.cluster())
                .orElseThrow(() -> new IllegalArgumentException("not a broker address: " + options.cluster()));
    }

    private static RoomLogProvider provider(URI broker) {
        return provider(broker.getScheme())
                .orElseThrow(() -> new IllegalArgumentException("no lesson on the class path serves "
                        + broker.getScheme() + "://"));
    }

    private static Optional<URI> parse(String address) {
        try {
            URI uri = new URI(address);
            return uri.getScheme() == null || uri.getHost() == null ? Optional.empty() : Optional.of(uri);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static Optional<RoomLogProvider> provider(String scheme) {
        return ServiceLoader.load(RoomLogProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(provider -> provider.scheme().equalsIgnoreCase(scheme))
                .findFirst();
    }
}

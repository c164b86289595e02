package dev.socketchat.room;

import dev.socketchat.server.ServerOptions;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Picks the room's {@link RoomLog}: in process for a server on its own, or the provider whose scheme
 * {@link ServerOptions#cluster()} names ({@code redis://...}).
 */
public final class RoomLogs {

    private RoomLogs() {
    }

    /** The log for a room with these options; never performs I/O. */
    public static RoomLog open(ServerOptions options) {
        if (!options.clustered()) {
            return new InProcessRoomLog();
        }
        URI broker = parse(options.cluster())
                .orElseThrow(() -> new IllegalArgumentException("not a broker address: " + options.cluster()));
        return provider(broker.getScheme())
                .orElseThrow(() -> new IllegalArgumentException("no lesson on the class path serves "
                        + broker.getScheme() + "://"))
                .open(broker, options);
    }

    /** Whether {@code address} is a URI with a host whose scheme a provider on the class path serves. */
    public static boolean supports(String address) {
        return parse(address).flatMap(uri -> provider(uri.getScheme())).isPresent();
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

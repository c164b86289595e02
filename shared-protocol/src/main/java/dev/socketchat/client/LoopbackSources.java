package dev.socketchat.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

/**
 * Spreads many clients on one machine over loopback source addresses, 127.0.0.2 and up, for the
 * load generator and the benchmarks: a server counts its per-address share by source address
 * (docs/protocol.md §7), and one address pair has only some 28,000 ephemeral ports. Every address
 * in 127.0.0.0/8 is this machine's own on Linux, so no setup is needed.
 */
public final class LoopbackSources {

    /** Clients per source address: the servers' default share, so a default server admits them all. */
    public static final int CLIENTS_PER_ADDRESS = 100;

    private LoopbackSources() {
    }

    /**
     * Binds {@code channel}, the {@code index}th client's, to its source address before it connects
     * to {@code server}; leaves it alone if the server is not on loopback, where the kernel must
     * choose the route.
     */
    public static void bind(SocketChannel channel, int index, InetSocketAddress server) throws IOException {
        if (server.getAddress() != null && server.getAddress().isLoopbackAddress()
                && server.getAddress().getAddress().length == 4) {
            channel.bind(new InetSocketAddress(sourceAddress(index), 0));
        }
    }

    /** 127.0.0.2 for the first {@value #CLIENTS_PER_ADDRESS} clients, 127.0.0.3 for the next, and so on. */
    public static InetAddress sourceAddress(int index) throws IOException {
        int host = 2 + index / CLIENTS_PER_ADDRESS;
        return InetAddress.getByAddress(new byte[] {127, (byte) (host >> 16), (byte) (host >> 8), (byte) host});
    }
}

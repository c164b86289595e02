package dev.socketchat.server;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Small socket chores that every lesson needs and none of them teaches. */
public final class Sockets {

    private Sockets() {
    }

    /**
     * Closes without complaint: used where a connection is being torn down anyway and a failure to
     * close changes nothing the server could act on.
     */
    public static void closeQuietly(Closeable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (IOException ignored) {
            // Closing a broken connection may fail; it is closed either way.
        }
    }

    /** {@code 127.0.0.1:43210}, for the console. */
    public static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getHostString() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}

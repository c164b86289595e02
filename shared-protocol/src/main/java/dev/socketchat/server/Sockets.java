package dev.socketchat.server;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;

/** Small socket chores that every lesson needs and none of them teaches. */
public final class Sockets {

    private Sockets() {
    }

    /**
     * A listening socket bound to {@code host:port}. {@code SO_REUSEADDR} lets a restarted server
     * bind its port at once, while connections of the previous run are still in TIME_WAIT. The
     * socket is closed again if binding fails, for example because the port is in use.
     *
     * @param backlog connections the kernel may queue until they are accepted; 0 for the JDK's default
     */
    public static ServerSocket listen(String host, int port, int backlog) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port), backlog);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
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

package dev.socketchat.server;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Small socket chores that every lesson needs and none of them teaches. */
public final class Sockets {

    /**
     * How long a connection that has written its last frame keeps reading, and discarding, what the
     * client still sends before it closes (docs/protocol.md §7): the whole linger, not each read.
     */
    public static final Duration LINGER = Duration.ofSeconds(1);

    /**
     * How much a linger discards at most. A client that is closing politely has little in flight (a
     * keepalive, a {@code !Disconnect}, the tail of a message); one that is still sending past this
     * is flooding, not closing, and is closed at once. Without a bound, a flooder's linger is a busy
     * loop for the whole {@link #LINGER}: its reads always find data, so they never block, and on
     * virtual threads a thread that never blocks keeps its carrier. Ten flooders lingering at once
     * held the two carriers of a 2-core machine for seconds, and with them every other virtual thread
     * of the server, the acceptor that {@code stop()} joins included.
     */
    public static final int LINGER_BYTES = 64 * 1024;

    private Sockets() {
    }

    /**
     * Reads and discards what the client still sends until it closes its side, until {@link #LINGER}
     * has passed, or until {@link #LINGER_BYTES} are discarded, whichever comes first; then returns,
     * and the caller closes.
     *
     * <p>Why linger at all: closing a socket with unread input sends a reset, and a reset can destroy
     * the last frames still on their way, such as the {@code !error} that explains the close. Why a
     * deadline for the whole linger rather than a timeout per read: a client that sends a keepalive
     * every half second would renew a per-read timeout forever, and hold a descriptor (and, in a
     * blocking server, a thread) long after it left the room.
     */
    public static void linger(Socket socket) {
        long deadline = System.nanoTime() + LINGER.toNanos();
        byte[] discard = new byte[4096];
        int discarded = 0;
        try {
            while (discarded <= LINGER_BYTES) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return;
                }
                socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
                // Blocks until the client sends more, closes, or the rest of the linger passes.
                int read = socket.getInputStream().read(discard);
                if (read < 0) {
                    return;
                }
                discarded += read;
            }
        } catch (IOException e) {
            // Timed out, reset or already closed: the caller closes it anyway.
        }
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

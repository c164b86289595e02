package dev.socketchat.client;

import dev.socketchat.protocol.Frame;
import dev.socketchat.protocol.FrameReader;
import dev.socketchat.protocol.FrameWriter;
import dev.socketchat.protocol.IdleTimeoutException;
import dev.socketchat.server.ServerOptions;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A blocking client connection: connect, send payloads, receive payloads, close. The interactive
 * client, the contract suite and the benchmarks all talk to servers through it.
 *
 * <pre>
 * try (ChatClient client = ChatClient.connect(new InetSocketAddress("127.0.0.1", 5050))) {
 *     client.receive();              // "* welcome guest-1 (1 online)"
 *     client.send("hello");
 *     client.receive();              // "[guest-1] hello"
 *     client.send("!Disconnect");
 * }
 * </pre>
 *
 * <p>One thread may send while another receives; sending from two threads at once, or receiving
 * from two, is not supported.
 */
public final class ChatClient implements Closeable {

    /**
     * The largest payload the client accepts from a server: the server's default maximum plus room
     * for the name and brackets it puts in front of a relayed message.
     */
    public static final int DEFAULT_MAX_INBOUND = ServerOptions.DEFAULT_MAX_PAYLOAD + 1024;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final OutputStream rawOut;

    private ChatClient(Socket socket, int maxInbound) throws IOException {
        this.socket = socket;
        this.rawOut = socket.getOutputStream();
        this.reader = FrameReader.of(socket, maxInbound, Duration.ZERO, Duration.ZERO);
        this.writer = new FrameWriter(rawOut);
    }

    /** Connects with the default limits. */
    public static ChatClient connect(InetSocketAddress server) throws IOException {
        return connect(server, new Socket(), DEFAULT_MAX_INBOUND);
    }

    /**
     * Connects an unconnected socket that the caller has configured, for example with a small
     * receive buffer to play a slow consumer.
     */
    public static ChatClient connect(InetSocketAddress server, Socket unconnected, int maxInbound) throws IOException {
        try {
            unconnected.setTcpNoDelay(true);
            unconnected.connect(server, (int) CONNECT_TIMEOUT.toMillis());
            return new ChatClient(unconnected, maxInbound);
        } catch (IOException e) {
            unconnected.close();
            throw e;
        }
    }

    /** Sends one payload as a frame. */
    public void send(String payload) throws IOException {
        writer.send(Frame.of(payload));
    }

    /** Sends bytes exactly as given, framed or not: for testing what servers do with bad input. */
    public void sendRaw(byte[] bytes) throws IOException {
        writer.flush();
        rawOut.write(bytes);
        rawOut.flush();
    }

    /**
     * Blocks until the next frame arrives.
     *
     * @return its payload, or {@code null} when the server has closed the connection
     */
    public String receive() throws IOException {
        return reader.read(Duration.ZERO);
    }

    /**
     * Waits at most {@code timeout} for the next frame to start arriving.
     *
     * @return its payload, or {@code null} when the server has closed the connection
     * @throws SocketTimeoutException if no frame started within the timeout
     */
    public String receive(Duration timeout) throws IOException {
        try {
            return reader.read(timeout);
        } catch (IdleTimeoutException e) {
            throw new SocketTimeoutException("no frame within " + timeout.toMillis() + " ms");
        }
    }

    /** Sends {@code !Disconnect}: the server writes out what it has queued for us, then closes. */
    public void disconnect() throws IOException {
        send("!Disconnect");
    }

    /** The underlying socket, for tests that need to act at the TCP level (half-close, reset). */
    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

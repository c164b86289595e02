package dev.socketchat.cli;

import dev.socketchat.client.ChatClient;
import dev.socketchat.protocol.ProtocolException;
import dev.socketchat.server.Sockets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The client you chat with: every line you type is sent, and every frame the server sends is
 * printed as it arrives, while you type.
 *
 * <p>That takes two threads, because both waits block: reading the keyboard blocks until you press
 * Enter, and reading the socket blocks until the server sends something. One thread could only do
 * one of them at a time, so messages from others would appear only after you had typed something.
 * (The original Python client did exactly that: send a line, then print one answer.)
 *
 * <pre>
 *   keyboard thread:  readLine() ─► send ─► readLine() ─► ... end of input ─► !Disconnect
 *   calling thread:   receive() ─► print ─► receive() ─► ... end of stream ─► return
 * </pre>
 *
 * <p>The calling thread receives, so that the conversation ends when the server closes it. The
 * keyboard thread is a daemon: when the server goes away while it waits for a line, nothing needs to
 * wake it. Every ending is reported as one line on the error stream, never as a stack trace.
 *
 * <p>The server drops a client that sends nothing for its idle timeout (300 s by default), so while
 * you only read, the receiving thread sends an empty frame, a keepalive, about once a minute.
 */
final class InteractiveClient {

    /** How long we may send nothing before a keepalive: well below the server's default idle timeout. */
    static final Duration KEEPALIVE_INTERVAL = Duration.ofSeconds(60);

    /** How long to wait, after {@code !Disconnect}, for the server to close the connection. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final BufferedReader keyboard;
    private final PrintStream out;
    private final PrintStream err;
    private final Duration keepaliveInterval;

    private final CountDownLatch welcomed = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean leaving;
    private volatile boolean gaveUp;
    // Both threads send; the lock keeps their frames whole and guards lastSent.
    private final Object sendLock = new Object();
    private long lastSent;
    private ChatClient client;

    InteractiveClient(InputStream in, PrintStream out, PrintStream err, Duration keepaliveInterval) {
        this.keyboard = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
        this.err = err;
        this.keepaliveInterval = keepaliveInterval;
    }

    /**
     * Connects, chats until the input ends or the server closes the connection, and returns the exit
     * status: 0 after a clean leave, 1 when the connection failed or ended otherwise.
     *
     * @param name the name to take with {@code !nick} once welcomed; null to keep the guest name
     */
    int run(InetSocketAddress server, String name) {
        try {
            client = ChatClient.connect(server);
        } catch (IOException e) {
            err.println("cannot connect to " + Sockets.describe(server) + ": " + Reasons.of(e));
            return 1;
        }
        try {
            lastSent = System.nanoTime();
            Thread.ofPlatform().daemon().name("keyboard").start(() -> type(name));
            return receive();
        } finally {
            welcomed.countDown();
            ended.countDown();
            Sockets.closeQuietly(client);
        }
    }

    /** The calling thread: prints every frame until the server closes the connection. */
    private int receive() {
        try {
            while (true) {
                String payload;
                try {
                    // Blocks until a frame starts arriving, or the keepalive interval passes.
                    payload = client.receive(keepaliveInterval);
                } catch (SocketTimeoutException e) {
                    keepAlive();
                    continue;
                }
                if (payload == null) {
                    break;
                }
                out.println(payload);
                welcomed.countDown();
                keepAlive();
            }
        } catch (ProtocolException e) {
            err.println("server sent an invalid frame: " + e.reason());
            return 1;
        } catch (IOException e) {
            if (gaveUp) {
                err.println("server did not close the connection within " + CLOSE_WAIT.toSeconds()
                        + " s of !Disconnect");
            } else {
                err.println("connection lost: " + Reasons.of(e));
            }
            return 1;
        }
        if (leaving) {
            return 0;
        }
        err.println("server closed the connection");
        return 1;
    }

    /** The keyboard thread: sends every line typed, and {@code !Disconnect} at the end of input. */
    private void type(String name) {
        try {
            // The server's first frame is the welcome; a rename before it would be ours to explain.
            welcomed.await();
            if (name != null) {
                send("!nick " + name);
            }
            String line;
            while ((line = nextLine()) != null) {
                send(line);
            }
            leaving = true;
            send("!Disconnect");
            // The server writes out what it still has for us, then closes; receive() sees the end.
            if (!ended.await(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                gaveUp = true;
                Sockets.closeQuietly(client);
            }
        } catch (IOException e) {
            // Sending failed: the connection is gone, and receive() says why.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Blocks until a whole line is typed; null at the end of input (Ctrl-D, the end of a pipe) or if it fails. */
    private String nextLine() {
        try {
            return keyboard.readLine();
        } catch (IOException e) {
            return null;
        }
    }

    private void send(String payload) throws IOException {
        synchronized (sendLock) {
            client.send(payload);
            lastSent = System.nanoTime();
        }
    }

    /** Sends an empty frame if nothing was sent for the keepalive interval; a failure shows in receive(). */
    private void keepAlive() {
        synchronized (sendLock) {
            if (leaving || System.nanoTime() - lastSent < keepaliveInterval.toNanos()) {
                return;
            }
            try {
                send("");
            } catch (IOException e) {
                // The next receive() reports the broken connection.
            }
        }
    }
}

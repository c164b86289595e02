package dev.socketchat.cli;

import dev.socketchat.client.ChatClient;
import dev.socketchat.protocol.ProtocolException;
import dev.socketchat.server.Sockets;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The client you chat with: every line you type is sent, and every frame the server sends is
 * shown as it arrives, while you type.
 *
 * <p>That takes two threads, because both waits block: reading the keyboard blocks until you press
 * Enter, and reading the socket blocks until the server sends something. One thread could only do
 * one of them at a time, so messages from others would appear only after you had typed something.
 * (The original Python client did exactly that: send a line, then print one answer.)
 *
 * <pre>
 *   keyboard thread:  readLine() ─► send ─► readLine() ─► ... end of input or !Disconnect ─► !Disconnect
 *   calling thread:   receive() ─► show ─► receive() ─► ... end of stream ─► return
 * </pre>
 *
 * <p>Both threads use the {@link ChatConsole}, which is where they meet on the screen: the keyboard
 * thread reads lines from it, the receiving thread shows frames on it.
 *
 * <p>The calling thread receives, so that the conversation ends when the server closes it; it then
 * stops the console's reading (a terminal gets its own mode back, and nothing half typed is left for
 * the shell) and says in one line on the error stream why it ended, never with a stack trace.
 *
 * <p>The server drops a client that sends nothing for its idle timeout (300 s by default), so while
 * you only read, the receiving thread sends an empty frame, a keepalive, about once a minute.
 */
final class InteractiveClient {

    /** How long we may send nothing before a keepalive: well below the server's default idle timeout. */
    static final Duration KEEPALIVE_INTERVAL = Duration.ofSeconds(60);

    /** How long to wait, after {@code !Disconnect}, for the server to close the connection. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final ChatConsole console;
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

    /** A client for scripts and pipes: lines from {@code in}, frames as plain lines on {@code out}. */
    InteractiveClient(InputStream in, PrintStream out, PrintStream err, Duration keepaliveInterval) {
        this(new PlainConsole(in, out, new FrameStyle(false, null)), err, keepaliveInterval);
    }

    InteractiveClient(ChatConsole console, PrintStream err, Duration keepaliveInterval) {
        this.console = console;
        this.err = err;
        this.keepaliveInterval = keepaliveInterval;
    }

    /**
     * The command word of a line, in lower case ({@code "!Disconnect now"} gives {@code "disconnect"}),
     * as the server reads it; null if the line is a chat message.
     */
    static String commandWord(String line) {
        if (!line.startsWith("!")) {
            return null;
        }
        int space = line.indexOf(' ');
        return (space < 0 ? line.substring(1) : line.substring(1, space)).toLowerCase(Locale.ROOT);
    }

    /**
     * Connects, chats until the user leaves or the server closes the connection, and returns the exit
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
        String ending = null;
        try {
            lastSent = System.nanoTime();
            Thread.ofPlatform().daemon().name("keyboard").start(() -> type(name));
            ending = receive();
            return ending == null ? 0 : 1;
        } finally {
            welcomed.countDown();
            ended.countDown();
            Sockets.closeQuietly(client);
            console.stopReading();
            if (ending != null) {
                err.println(ending);
            }
        }
    }

    /**
     * The calling thread: shows every frame until the server closes the connection.
     *
     * @return null after a clean leave, else why the conversation ended
     */
    private String receive() {
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
                console.show(payload);
                welcomed.countDown();
                keepAlive();
            }
        } catch (ProtocolException e) {
            return "server sent an invalid frame: " + e.reason();
        } catch (IOException e) {
            if (gaveUp) {
                return "server did not close the connection within " + CLOSE_WAIT.toSeconds() + " s of !Disconnect";
            }
            return "connection lost: " + Reasons.of(e);
        }
        return leaving ? null : "server closed the connection";
    }

    /** The keyboard thread: sends every line, and {@code !Disconnect} when the user leaves. */
    private void type(String name) {
        try {
            // The server's first frame is the welcome; a rename before it would be ours to explain.
            welcomed.await();
            if (name != null) {
                send("!nick " + name);
            }
            String line;
            while ((line = console.readLine()) != null && !"disconnect".equals(commandWord(line))) {
                send(line);
            }
            if (ended.getCount() == 0) {
                return; // the server ended the conversation, not the user
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

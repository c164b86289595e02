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
 *
 * <p>The exit status says how the conversation ended, decided only by what the server sent and
 * whether you had left, so that it is the same on a terminal and with input from a pipe or
 * {@code /dev/null}: {@link #LEFT}, {@link #LOST}, {@link #REFUSED}, {@link #SERVER_SHUT_DOWN}. The
 * keyboard is read only once the server has welcomed us, so input that ends at once cannot turn a
 * refusal into a leave.
 */
final class InteractiveClient {

    /** Exit status: you left (Ctrl-D, end of input, {@code !Disconnect}) and the server closed after you. */
    static final int LEFT = 0;
    /** Exit status: no connection, or it ended without a shutdown notice after the welcome (a drop, a crash, a reset). */
    static final int LOST = 1;
    /** Exit status: the server closed the connection without welcoming us, e.g. after {@code !error server full}. */
    static final int REFUSED = 3;
    /** Exit status: the server said it was shutting down, then closed the connection. */
    static final int SERVER_SHUT_DOWN = 4;

    private static final String WELCOME = "* welcome ";
    private static final String ERROR = "!error ";
    private static final String SHUTTING_DOWN = "server shutting down";

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
    // Only the receiving thread reads and writes these two.
    private String lastFrame;
    private boolean shutdownAnnounced;
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
     * status ({@link #LEFT}, {@link #LOST}, {@link #REFUSED} or {@link #SERVER_SHUT_DOWN}).
     *
     * @param name the name to take with {@code !nick} once welcomed; null to keep the guest name
     */
    int run(InetSocketAddress server, String name) {
        try {
            client = ChatClient.connect(server);
        } catch (IOException e) {
            err.println("cannot connect to " + Sockets.describe(server) + ": " + Reasons.of(e));
            return LOST;
        }
        Ending ending = null;
        try {
            lastSent = System.nanoTime();
            Thread.ofPlatform().daemon().name("keyboard").start(() -> type(name));
            ending = receive();
            return ending.status();
        } finally {
            ended.countDown(); // first: a keyboard thread that wakes below must see that it is over
            welcomed.countDown();
            Sockets.closeQuietly(client);
            console.stopReading();
            if (ending != null && ending.why() != null) {
                err.println(ending.why());
            }
        }
    }

    /** How a conversation ended: the exit status, and the one line that says why (null after a leave). */
    private record Ending(int status, String why) {
    }

    /** The calling thread: shows every frame until the server closes the connection. */
    private Ending receive() {
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
                noteFrame(payload);
                keepAlive();
            }
        } catch (ProtocolException e) {
            return new Ending(LOST, "server sent an invalid frame: " + e.reason());
        } catch (IOException e) {
            if (gaveUp) {
                return new Ending(LOST, "server did not close the connection within " + CLOSE_WAIT.toSeconds()
                        + " s of !Disconnect");
            }
            return shutdownAnnounced ? ended() : new Ending(LOST, "connection lost: " + Reasons.of(e));
        }
        return ended();
    }

    private void noteFrame(String payload) {
        if (payload.startsWith(WELCOME)) {
            welcomed.countDown();
        }
        shutdownAnnounced |= payload.equals("* " + SHUTTING_DOWN) || payload.equals(ERROR + SHUTTING_DOWN);
        lastFrame = payload;
    }

    /** The server closed the connection: why, from whether we had left and what it said last. */
    private Ending ended() {
        if (leaving) {
            return new Ending(LEFT, null);
        }
        if (shutdownAnnounced) {
            return new Ending(SERVER_SHUT_DOWN, "the server shut down");
        }
        String reason = lastFrame != null && lastFrame.startsWith(ERROR) ? ": " + lastFrame.substring(ERROR.length()) : "";
        if (welcomed.getCount() > 0) {
            return new Ending(REFUSED, "refused by the server" + reason);
        }
        return new Ending(LOST, "server closed the connection" + reason);
    }

    /** The keyboard thread: sends every line, and {@code !Disconnect} when the user leaves. */
    private void type(String name) {
        try {
            // The server's first frame is the welcome; a rename before it would be ours to explain, and
            // a leave before it would hide a refusal.
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

package dev.socketchat.contract;

import dev.socketchat.client.ChatClient;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client as the contract suite drives it: {@link ChatClient} plus assertions on what arrives,
 * each failing with a message that says which client waited for what.
 *
 * <p>Waits are bounded by {@link #WAIT}, far above what any healthy server needs on a loaded
 * machine: a wait that runs out means the frame is not coming.
 */
final class TestClient implements AutoCloseable {

    /** The longest any expected frame or end of stream may take. */
    static final Duration WAIT = Duration.ofSeconds(15);

    /**
     * The wait instead of {@link #WAIT} in a check that a model {@linkplain ExpectedFailures broken on
     * purpose} must fail: the frame it waits for is held up by the hazard itself, and 15 s of waiting
     * for it to stay missing would prove no more than this does. Never used for a check that must pass.
     */
    static final Duration WAIT_FOR_EXPECTED_FAILURE = Duration.ofSeconds(3);

    // Per thread: the contract runs several variants' checks at once, only some of them expected to fail.
    private static final ThreadLocal<Duration> PATIENCE = ThreadLocal.withInitial(() -> WAIT);

    private static final Pattern WELCOME = Pattern.compile("\\* welcome (\\S+) \\(\\d+ online\\)");
    private static final Pattern LEFT_NOTICE = Pattern.compile("\\* \\S+ left");

    private final ChatClient chat;
    private final String name;

    private TestClient(ChatClient chat, String name) {
        this.chat = chat;
        this.name = name;
    }

    /** Connects and waits for the welcome frame, which names the client. */
    static TestClient join(ServerUnderTest server) throws IOException {
        return join(server, new Socket());
    }

    /** Joins through a socket the caller has configured, for example with a small receive buffer. */
    static TestClient join(ServerUnderTest server, Socket unconnected) throws IOException {
        TestClient client = new TestClient(
                ChatClient.connect(server.address(), unconnected, ChatClient.DEFAULT_MAX_INBOUND), "a new client");
        try {
            String welcome = client.next();
            Matcher matcher = WELCOME.matcher(welcome);
            assertThat(matcher.matches()).as("first frame \"%s\" is \"* welcome <name> (<n> online)\"", welcome)
                    .isTrue();
            return new TestClient(client.chat, matcher.group(1));
        } catch (IOException | RuntimeException | Error e) {
            client.close();
            throw e;
        }
    }

    /** Connects without waiting for anything, for a connection the server is expected to refuse. */
    static TestClient connect(ServerUnderTest server, String label) throws IOException {
        return new TestClient(ChatClient.connect(server.address()), label);
    }

    /** The name the server gave this client in its welcome. */
    String name() {
        return name;
    }

    /** The frame every client receives when this client says {@code text}. */
    String says(String text) {
        return "[" + name + "] " + text;
    }

    void send(String... payloads) throws IOException {
        for (String payload : payloads) {
            chat.send(payload);
        }
    }

    /** Sends bytes exactly as given, in one write. */
    void sendRaw(byte[] bytes) throws IOException {
        chat.sendRaw(bytes);
    }

    Socket socket() {
        return chat.socket();
    }

    /** The next frame; fails if none arrives within {@link #WAIT} or the connection ends. */
    String next() throws IOException {
        String frame = receive("a frame");
        if (frame == null) {
            throw new AssertionError(name + " expected a frame, but the server closed the connection");
        }
        return frame;
    }

    /** Waits for the next frame and checks it is {@code expected}. */
    void expect(String expected) throws IOException {
        String frame = receive("\"" + expected + "\"");
        if (frame == null) {
            throw new AssertionError(name + " expected \"" + expected + "\", but the server closed the connection");
        }
        if (!frame.equals(expected)) {
            throw new AssertionError(name + " expected \"" + abbreviate(expected) + "\" but received \""
                    + abbreviate(frame) + "\"");
        }
    }

    /**
     * The next frame after any {@code * <name> left} notices. A client that joins as soon as an
     * earlier one's connection has ended may hear of that leave first: the room announces a leave
     * once it has closed the leaver's outbox, outside its lock ({@code ChatRoom.remove}), and across
     * servers once the broker hands the leave back. In the room's order the join came first, and
     * both orders are right.
     */
    String nextAfterLeaveNotices() throws IOException {
        String frame = next();
        while (LEFT_NOTICE.matcher(frame).matches()) {
            frame = next();
        }
        return frame;
    }

    /** {@link #expect}, after any notices of earlier clients leaving ({@link #nextAfterLeaveNotices}). */
    void expectAfterLeaveNotices(String expected) throws IOException {
        String frame = nextAfterLeaveNotices();
        if (!frame.equals(expected)) {
            throw new AssertionError(name + " expected \"" + abbreviate(expected) + "\" but received \""
                    + abbreviate(frame) + "\" (after any notices of earlier clients leaving)");
        }
    }

    /** Waits for the next frame and checks it starts with {@code prefix}; returns it. */
    String expectStartingWith(String prefix) throws IOException {
        String frame = receive("a frame starting with \"" + prefix + "\"");
        if (frame == null) {
            throw new AssertionError(name + " expected a frame starting with \"" + prefix
                    + "\", but the server closed the connection");
        }
        if (!frame.startsWith(prefix)) {
            throw new AssertionError(name + " expected a frame starting with \"" + prefix + "\" but received \""
                    + abbreviate(frame) + "\"");
        }
        return frame;
    }

    /** Checks that the server ends the stream cleanly, with no frame before the end. */
    void expectEndOfStream() throws IOException {
        String frame;
        try {
            frame = receive("end of stream");
        } catch (IOException e) {
            throw new AssertionError(name + " expected end of stream, but the connection failed: " + e, e);
        }
        if (frame != null) {
            throw new AssertionError(name + " expected end of stream, but received \"" + abbreviate(frame) + "\"");
        }
    }

    /**
     * Checks that the server closes the connection, by end of stream or reset, after no frames or
     * after frames that were already queued; returns how many frames came first.
     */
    int expectClosedAfterAnyFrames() {
        int frames = 0;
        try {
            while (receive("end of stream") != null) {
                frames++;
            }
        } catch (IOException e) {
            // A reset closes the connection too; what matters is that it is closed.
        }
        return frames;
    }

    @Override
    public void close() throws IOException {
        chat.close();
    }

    @Override
    public String toString() {
        return name;
    }

    private String receive(String awaited) throws IOException {
        try {
            return chat.receive(patience());
        } catch (SocketTimeoutException e) {
            throw new AssertionError(name + " waited " + patience().toSeconds() + " s for " + awaited + " and got nothing");
        }
    }

    /** How long a wait for a frame may take on this thread: {@link #WAIT}, unless {@link #withPatience} says otherwise. */
    static Duration patience() {
        return PATIENCE.get();
    }

    /** Runs {@code check} on this thread with {@code patience} instead of {@link #WAIT}. */
    static void withPatience(Duration patience, Behaviour.Check check, ServerUnderTest server) throws Exception {
        PATIENCE.set(patience);
        try {
            check.run(server);
        } finally {
            PATIENCE.remove();
        }
    }

    static String abbreviate(String frame) {
        return frame.length() <= 200 ? frame : frame.substring(0, 200) + "… (" + frame.length() + " chars)";
    }
}

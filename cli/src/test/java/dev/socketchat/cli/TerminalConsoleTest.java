package dev.socketchat.cli;

import dev.socketchat.client.ChatClient;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerModels;
import dev.socketchat.server.ServerOptions;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client on a terminal, as a person sees it: a virtual JLine terminal whose keyboard is a pipe
 * and whose screen is a {@link VirtualScreen}, against a real server on loopback, with another
 * member played by a {@link ChatClient}.
 */
@Timeout(60)
class TerminalConsoleTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final int COLUMNS = 80;

    private final VirtualScreen screen = new VirtualScreen(COLUMNS, 24);
    private final PipedOutputStream keys = new PipedOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private org.jline.terminal.Terminal terminal;
    private ChatServer server;
    private ChatClient other;

    @BeforeEach
    void setUp() throws IOException {
        terminal = TerminalBuilder.builder().system(false).type("xterm-256color").size(new Size(COLUMNS, 24))
                .encoding(StandardCharsets.UTF_8).streams(new PipedInputStream(keys, 1 << 16), screen).build();
        server = ServerModels.named("thread-per-client").orElseThrow()
                .create(ServerOptions.defaults().withPort(0).withGrace(Duration.ofSeconds(1)), ServerConsole.silent());
        server.start();
        other = ChatClient.connect(server.address());
        assertThat(other.receive()).isEqualTo("* welcome guest-1 (1 online)");
    }

    @AfterEach
    void tearDown() throws IOException {
        other.close();
        server.stop();
        executor.shutdownNow();
        terminal.close();
    }

    /** Starts the client as guest-2 on the virtual terminal and waits for its prompt. */
    private Future<Integer> start(int maxPayload) throws IOException {
        TerminalConsole console = new TerminalConsole(terminal, new FrameStyle(true, null), maxPayload);
        InteractiveClient client = new InteractiveClient(console, new PrintStream(errBytes, true, StandardCharsets.UTF_8),
                InteractiveClient.KEEPALIVE_INTERVAL);
        InetSocketAddress address = server.address();
        Future<Integer> status = executor.submit(() -> client.run(address, null));
        assertThat(other.receive()).isEqualTo("* guest-2 joined");
        awaitScreen(lines -> !lines.isEmpty() && lines.getLast().equals("guest-2>"));
        return status;
    }

    private Future<Integer> start() throws IOException {
        return start(ServerOptions.DEFAULT_MAX_PAYLOAD);
    }

    private void type(String keystrokes) throws IOException {
        keys.write(keystrokes.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    /**
     * Waits until the line editor is back at an empty prompt. Between two lines it gives the terminal
     * back in its cooked mode, where keys typed ahead are echoed as they come (an escape sequence
     * included, in pieces between the editor's own output); a person never types that fast, a test does.
     */
    private void awaitPrompt() {
        awaitScreen(lines -> !lines.isEmpty() && lines.getLast().equals("guest-2>"));
    }

    private void awaitScreen(java.util.function.Predicate<List<String>> condition) {
        await().atMost(PATIENCE).until(screen::lines, condition);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aFrameArrivingWhileALineIsTypedPrintsAboveItAndLeavesItWhole() throws Exception {
        Future<Integer> status = start();
        String partial = "I am typing a long li";
        type(partial);
        awaitScreen(lines -> lines.getLast().equals("guest-2> " + partial));

        other.send("hello, anyone?");

        // The frame, then the typed line redrawn below it, cursor at its end: waited for as a whole,
        // since the screen is caught between the frame and the redrawing now and then.
        await().atMost(PATIENCE).untilAsserted(() -> {
            List<String> lines = screen.lines();
            assertThat(lines.subList(lines.size() - 2, lines.size()))
                    .containsExactly("[guest-1] hello, anyone?", "guest-2> " + partial);
            assertThat(screen.cursor()).containsExactly(lines.size() - 1, ("guest-2> " + partial).length());
        });

        // The typed text is still the line being edited: finishing it sends the whole line.
        type("ne\r");
        assertThat(other.receive()).isEqualTo("[guest-1] hello, anyone?");
        assertThat(other.receive()).isEqualTo("[guest-2] I am typing a long line");
        type("\u0004"); // Ctrl-D
        assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
    }

    @Test
    void escapeSequencesInAMessageAreShownNotExecuted() throws Exception {
        Future<Integer> status = start();
        String attack = "\u001B[2J\u001B[Hgone\u001B]52;c;aGk=\u0007\u001B]0;title\u0007";

        other.send(attack);

        String shown = "[guest-1] ^[[2J^[[Hgone^[]52;c;aGk=^G^[]0;title^G";
        awaitScreen(lines -> lines.contains(shown));
        assertThat(screen.lines()).startsWith("* welcome guest-2 (2 online)");
        assertThat(screen.written()).doesNotContain("\u001B[2J", "\u001B]");
        type("\u0004");
        assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
    }

    @Test
    void yourOwnLineAppearsOnceAsTheServerRelaysItInYourStyle() throws Exception {
        Future<Integer> status = start();
        other.send("hi");
        type("hello\r");
        assertThat(other.receive()).isEqualTo("[guest-1] hi");
        assertThat(other.receive()).isEqualTo("[guest-2] hello");

        awaitScreen(lines -> lines.contains("[guest-2] hello"));
        assertThat(screen.lines()).filteredOn(line -> line.contains("hello")).containsExactly("[guest-2] hello");
        // Bold, and each name in its own colour: own and others' messages do not look alike.
        String written = screen.written();
        assertThat(written).containsPattern("\\[\u001B\\[[0-9;]*1[;m].*guest-2.*] .*hello");
        assertThat(written).doesNotContainPattern("\\[\u001B\\[[0-9;]*1[;m][^\\[]*guest-1");
        type("\u0004");
        assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
    }

    @Test
    void upRecallsTheLastLineInsteadOfSendingAnEscapeSequence() throws Exception {
        Future<Integer> status = start();
        type("first\r");
        assertThat(other.receive()).isEqualTo("[guest-2] first");

        awaitPrompt();
        type("\u001BOA\r"); // Up in the keypad mode the line editor asks the terminal for, then Enter
        assertThat(other.receive()).isEqualTo("[guest-2] first");
        awaitPrompt();
        type("\u001B[A\r"); // Up from a terminal that ignores that mode
        assertThat(other.receive()).isEqualTo("[guest-2] first");
        awaitPrompt();
        type("\u001B[A\u001B[D\u001B[D!\u001B[C\u001B[C?\r"); // Up, Left twice, Right twice
        assertThat(other.receive()).isEqualTo("[guest-2] fir!st?");
        type("\u0004");
        assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
    }

    @Test
    void tabCompletesCommandsAndTheNamesOfMembers() throws Exception {
        other.send("!nick bob");
        assertThat(other.receive()).isEqualTo("* guest-1 is now bob");
        Future<Integer> status = start();

        type("!w\t\r");
        awaitScreen(lines -> lines.contains("!who bob,guest-2"));
        awaitPrompt();
        type("hi B\t\r"); // completion ignores case, and spaces the name
        assertThat(other.receive()).isEqualTo("[guest-2] hi bob ");
        awaitPrompt();
        type("!dis\t\r");
        assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
        assertThat(other.receive()).isEqualTo("* guest-2 left");
    }

    @Test
    void thePromptFollowsYourName() throws Exception {
        Future<Integer> status = start();
        type("!nick alice\r");
        awaitScreen(lines -> lines.getLast().equals("alice>") && lines.contains("* guest-2 is now alice"));
        type("\u0004");
        assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
    }

    @Test
    void aTypedDisconnectIsACleanLeave() throws Exception {
        Future<Integer> status = start();
        type("!Disconnect\r");
        assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
        assertThat(other.receive()).isEqualTo("* guest-2 left");
        assertThat(err()).isEmpty();
    }

    @Test
    void ctrlCLeavesPolitely() throws Exception {
        Future<Integer> status = start();
        type("half a thought\u0003");
        assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
        assertThat(other.receive()).isEqualTo("* guest-2 left");
    }

    @Test
    void aLinePastedFarLongerThanATerminalsCookedModeLimitIsSentWhole() throws Exception {
        Future<Integer> status = start();
        String line = "0123456789".repeat(1_000); // cooked mode would have cut it at 4,095 bytes
        // Pasted, as a line this long would be (typed key by key, each key redraws the whole line).
        type("\u001B[200~" + line + "\u001B[201~\r");
        assertThat(other.receive()).isEqualTo("[guest-2] " + line);
        type("\u0004");
        assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
    }

    @Test
    void aLineOverTheMaximumPayloadIsRefusedHereAndTheConversationGoesOn() throws Exception {
        Future<Integer> status = start(20);
        type("é".repeat(11) + "\r"); // 22 bytes in UTF-8, though 11 characters
        awaitScreen(lines -> lines.contains("not sent: the line is 22 bytes, and a message may be at most 20 bytes"));
        type("short\r");
        assertThat(other.receive()).isEqualTo("[guest-2] short");
        type("\u0004");
        assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
    }

    @Test
    void helpIsAnsweredHereWithoutTheServer() throws Exception {
        Future<Integer> status = start();
        type("!help\r!ping done\r");
        awaitScreen(lines -> lines.contains("!pong done"));
        assertThat(screen.lines()).contains("!nick NAME        take a new name")
                .noneMatch(line -> line.startsWith("!error"));
        type("\u0004");
        assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
    }

    @Test
    void whenTheServerStopsTheTerminalIsRestoredAndTheHalfTypedLineGoesNowhere() throws Exception {
        Attributes before = new Attributes(terminal.getAttributes());
        Future<Integer> status = start();
        type("half typed");
        awaitScreen(lines -> lines.getLast().equals("guest-2> half typed"));
        assertThat(terminal.getAttributes().getLocalFlag(Attributes.LocalFlag.ICANON)).isFalse();

        server.stop();

        // The same status and line as with plain lines (InteractiveClientTest.saysInOneLineThatTheServerWentAway).
        assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(InteractiveClient.SERVER_SHUT_DOWN);
        assertThat(err()).isEqualTo("the server shut down" + System.lineSeparator());
        assertThat(terminal.getAttributes().getLocalFlags()).isEqualTo(before.getLocalFlags());
        assertThat(screen.lines()).contains("* server shutting down").noneMatch(line -> line.contains("half typed"));
    }
}

package dev.socketchat.cli;

import dev.socketchat.client.ChatClient;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerModels;
import dev.socketchat.server.ServerOptions;
import org.jline.terminal.Size;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The client's options, checked before anything connects, its help, and its exit status with and without a terminal. */
class ClientCommandTest {

    @Test
    void aBadNameIsRefusedBeforeConnectingWithTheRoomsOwnRule() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        // A listener that must never see a connection: the name is checked first.
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(1);
            status = ChatCommand.commandLine(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                            new PrintStream(err, true, StandardCharsets.UTF_8), new ManualStop())
                    .execute("client", "--port", String.valueOf(listener.getLocalPort()), "--name", "bad name");
            assertThat(acceptsNothing(listener)).isTrue();
        }
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("chat client: --name 'bad name': invalid name: "
                + "a name is 1 to 32 of A-Z a-z 0-9 _ - (see ./chat client --help)" + System.lineSeparator());
    }

    @Test
    void aRefusalHasTheSameExitStatusOnATerminalAsWithPlainLines() throws IOException {
        ChatServer server = ServerModels.named("thread-per-client").orElseThrow()
                .create(ServerOptions.defaults().withPort(0).withMaxClients(1), ServerConsole.silent());
        server.start();
        try (ChatClient first = ChatClient.connect(server.address())) {
            assertThat(first.receive(Duration.ofSeconds(30))).startsWith("* welcome ");
            String port = String.valueOf(server.address().getPort());
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);

            int plain = ChatCommand.commandLine(new ByteArrayInputStream(new byte[0]),
                    new PrintStream(new ByteArrayOutputStream()), errors, new ManualStop()).execute("client", "--port", port);
            int onATerminal;
            try (var terminal = virtual("xterm-256color")) {
                onATerminal = new CommandLine(new ClientCommand(new ByteArrayInputStream(new byte[0]),
                        new PrintStream(new ByteArrayOutputStream()), errors, () -> terminal, null)).execute("--port", port);
            }

            assertThat(plain).isEqualTo(InteractiveClient.REFUSED);
            assertThat(onATerminal).isEqualTo(InteractiveClient.REFUSED);
            assertThat(err.toString(StandardCharsets.UTF_8).lines())
                    .containsExactly("refused by the server: server full", "refused by the server: server full");
        } finally {
            server.stop();
        }
    }

    @Test
    void theHelpListsEveryExitStatusAndSaysEachThingInWholeSentences() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = ChatCommand.commandLine(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()), new ManualStop()).execute("client", "--help");

        assertThat(status).isZero();
        String help = out.toString(StandardCharsets.UTF_8);
        assertThat(help).contains("Exit status, the same with or without a terminal:");
        for (int exitStatus : new int[] {InteractiveClient.LEFT, InteractiveClient.LOST, CommandLine.ExitCode.USAGE,
                InteractiveClient.REFUSED, InteractiveClient.SERVER_SHUT_DOWN}) {
            assertThat(help).containsPattern("(?m)^ +" + exitStatus + " +\\S");
        }
        // The description, the unindented lines between the synopsis and the options: none stops mid-sentence.
        List<String> description = help.lines().skip(1).dropWhile(line -> line.startsWith(" "))
                .takeWhile(line -> !line.startsWith(" ")).toList();
        assertThat(description).hasSizeGreaterThan(3).allSatisfy(line -> assertThat(line).endsWith("."));
    }

    @Test
    void colourWhereTheTerminalHasItUnlessNoColorIsSet() throws IOException {
        try (var colourful = virtual("xterm-256color"); var dumb = virtual("dumb")) {
            assertThat(ClientCommand.usesColour(colourful, null)).isTrue();
            assertThat(ClientCommand.usesColour(colourful, "")).isTrue(); // set but empty: no-color.org says ignore it
            assertThat(ClientCommand.usesColour(colourful, "1")).isFalse();
            assertThat(ClientCommand.usesColour(dumb, null)).isFalse();
        }
    }

    private static org.jline.terminal.Terminal virtual(String type) throws IOException {
        return TerminalBuilder.builder().system(false).type(type).size(new Size(80, 24))
                .streams(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream()).build();
    }

    private static boolean acceptsNothing(ServerSocket listener) {
        try {
            listener.accept().close();
            return false;
        } catch (IOException timedOut) {
            return true;
        }
    }
}

package dev.socketchat.cli;

import org.jline.terminal.Size;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The client's options, checked before anything connects. */
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

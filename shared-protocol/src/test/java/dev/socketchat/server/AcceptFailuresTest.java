package dev.socketchat.server;

import dev.socketchat.room.ServerConsole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blocking accept loop every blocking lesson shares: it survives failed accepts, says so once
 * per episode, and ends when the server socket is closed. Failures are scripted by a server socket
 * whose {@code accept()} throws a set number of times, as one out of descriptors does.
 */
@Timeout(30)
class AcceptFailuresTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final AcceptFailures failures = new AcceptFailures(
            new ServerConsole(new PrintStream(printed, true, StandardCharsets.UTF_8), true));

    @Test
    void acceptTriesAgainAfterFailuresAndReportsTheEpisodeOnce() throws IOException {
        Socket accepted = new Socket();
        try (ServerSocket failingThrice = new FailingServerSocket(3, accepted)) {
            assertThat(failures.accept(failingThrice)).isSameAs(accepted);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "[error] accept failed: Too many open files; retrying every 250 ms at most",
                "[error] accepting again after 3 failed accepts");
    }

    @Test
    void acceptReturnsNullOnceTheServerSocketIsClosed() throws IOException {
        ServerSocket closed = new ServerSocket();
        closed.close();

        assertThat(failures.accept(closed)).isNull();
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aFailureBecauseTheServerSocketWasClosedIsNoFailureToReport() throws IOException {
        // The server closes its socket to stop the acceptor: the accept blocked in it fails, and that is the end.
        ServerSocket closedWhileAccepting = new ServerSocket() {
            @Override
            public Socket accept() throws IOException {
                close();
                throw new IOException("Socket closed");
            }
        };

        assertThat(failures.accept(closedWhileAccepting)).isNull();
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    /** Fails {@code times} times with the error of a process out of descriptors, then returns {@code socket}. */
    private static final class FailingServerSocket extends ServerSocket {

        private final Socket socket;
        private int failuresLeft;

        FailingServerSocket(int times, Socket socket) throws IOException {
            this.failuresLeft = times;
            this.socket = socket;
        }

        @Override
        public Socket accept() throws IOException {
            if (failuresLeft-- > 0) {
                throw new IOException("Too many open files");
            }
            return socket;
        }
    }
}

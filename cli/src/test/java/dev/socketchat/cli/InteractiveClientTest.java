package dev.socketchat.cli;

import dev.socketchat.client.ChatClient;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerModels;
import dev.socketchat.server.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The interactive client against real servers on loopback, with its keyboard played by a pipe. */
@Timeout(120)
class InteractiveClientTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Terminal terminal = new Terminal();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private ChatServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.stop();
        }
        executor.shutdownNow();
    }

    private InetSocketAddress startServer(ServerOptions options) throws IOException {
        server = ServerModels.named("thread-per-client").orElseThrow()
                .create(options.withPort(0), ServerConsole.silent());
        server.start();
        return server.address();
    }

    private InteractiveClient client(String typed) {
        return client(new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)));
    }

    private InteractiveClient client(InputStream keyboard) {
        return new InteractiveClient(keyboard, terminal.out, terminal.err, InteractiveClient.KEEPALIVE_INTERVAL);
    }

    @Test
    void sendsEveryLineAndLeavesWithDisconnectAtTheEndOfInput() throws Exception {
        InetSocketAddress address = startServer(ServerOptions.defaults());

        int status = client("hello\n!who\n").run(address, null);

        assertThat(status).isZero();
        assertThat(terminal.outLines()).containsExactly("* welcome guest-1 (1 online)", "[guest-1] hello", "!who guest-1");
        assertThat(terminal.errLines()).isEmpty();
    }

    @Test
    void aTypedDisconnectIsACleanLeaveAndNothingAfterItIsSent() throws Exception {
        InetSocketAddress address = startServer(ServerOptions.defaults());

        int status = client("hello\n!disconnect now\nnever sent\n").run(address, null);

        assertThat(status).isZero();
        assertThat(terminal.outLines()).containsExactly("* welcome guest-1 (1 online)", "[guest-1] hello");
        assertThat(terminal.errLines()).isEmpty();
    }

    @Test
    void showsControlCharactersInAFrameInsteadOfPrintingThem() throws Exception {
        InetSocketAddress address = startServer(ServerOptions.defaults());

        int status = client("a\u001B[2Jb\u0007\n").run(address, null);

        assertThat(status).isZero();
        assertThat(terminal.outLines()).containsExactly("* welcome guest-1 (1 online)", "[guest-1] a^[[2Jb^G");
    }

    @Test
    void takesItsNameOnceWelcomed() throws Exception {
        InetSocketAddress address = startServer(ServerOptions.defaults());

        int status = client("hi\n").run(address, "alice");

        assertThat(status).isZero();
        assertThat(terminal.outLines()).containsExactly("* welcome guest-1 (1 online)", "* guest-1 is now alice", "[alice] hi");
    }

    @Test
    void printsWhatOthersSayWhileItWaitsForTheKeyboard() throws Exception {
        InetSocketAddress address = startServer(ServerOptions.defaults());
        PipedOutputStream keyboard = new PipedOutputStream();
        try (ChatClient other = ChatClient.connect(address)) {
            assertThat(other.receive()).isEqualTo("* welcome guest-1 (1 online)");
            Future<Integer> status = executor.submit(() -> client(new PipedInputStream(keyboard)).run(address, null));
            assertThat(other.receive()).isEqualTo("* guest-2 joined");

            other.send("hello, anyone?");
            // Nothing was typed: the message arrives on the receiving thread alone.
            await().atMost(PATIENCE).until(terminal::outLines, lines -> lines.contains("[guest-1] hello, anyone?"));

            type(keyboard, "hi guest-1\n");
            assertThat(other.receive()).isEqualTo("[guest-1] hello, anyone?");
            assertThat(other.receive()).isEqualTo("[guest-2] hi guest-1");

            keyboard.close();
            assertThat(other.receive()).isEqualTo("* guest-2 left");
            assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
        }
        assertThat(terminal.outLines()).containsExactly("* welcome guest-2 (2 online)", "[guest-1] hello, anyone?",
                "[guest-2] hi guest-1");
    }

    @Test
    void saysInOneLineThatNobodyListens() throws Exception {
        int freePort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            freePort = probe.getLocalPort();
        }

        int status = client("hello\n").run(new InetSocketAddress("127.0.0.1", freePort), null);

        assertThat(status).isEqualTo(InteractiveClient.LOST);
        assertThat(terminal.errLines()).containsExactly("cannot connect to 127.0.0.1:" + freePort + ": connection refused");
    }

    @Test
    void saysInOneLineThatTheServerWentAway() throws Exception {
        InetSocketAddress address = startServer(ServerOptions.defaults().withGrace(Duration.ofSeconds(2)));
        PipedOutputStream keyboard = new PipedOutputStream();
        try {
            Future<Integer> status = executor.submit(() -> client(new PipedInputStream(keyboard)).run(address, null));
            await().atMost(PATIENCE).until(terminal::outLines, lines -> !lines.isEmpty());

            server.stop();

            assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(InteractiveClient.SERVER_SHUT_DOWN);
            assertThat(terminal.outLines()).containsExactly("* welcome guest-1 (1 online)", "* server shutting down");
            assertThat(terminal.errLines()).containsExactly("the server shut down");
        } finally {
            keyboard.close();
        }
    }

    @Test
    void aRefusalExitsWithItsOwnStatusWhetherTheInputEndsAtOnceOrStaysOpen() throws Exception {
        // Two members fill the room, so that the server's connection budget (twice the room) still
        // has room for the first refused connection, lingering, when the second one comes.
        InetSocketAddress address = startServer(ServerOptions.defaults().withMaxClients(2));
        try (ChatClient first = ChatClient.connect(address); ChatClient second = ChatClient.connect(address)) {
            assertThat(first.receive(PATIENCE)).startsWith("* welcome ");
            assertThat(second.receive(PATIENCE)).startsWith("* welcome ");

            // Input from /dev/null: it ends before the refusal arrives, yet that is no leave.
            assertThat(client("").run(address, null)).isEqualTo(InteractiveClient.REFUSED);

            // Input that stays open, as a terminal's does while nobody types.
            PipedOutputStream keyboard = new PipedOutputStream();
            try {
                assertThat(client(new PipedInputStream(keyboard)).run(address, null)).isEqualTo(InteractiveClient.REFUSED);
            } finally {
                keyboard.close();
            }
        }
        assertThat(terminal.outLines()).containsExactly("!error server full", "!error server full");
        assertThat(terminal.errLines()).containsExactly("refused by the server: server full", "refused by the server: server full");
    }

    @Test
    void aClientDroppedAfterItsWelcomeExitsAsLostAndSaysWhy() throws Exception {
        InetSocketAddress address = startServer(ServerOptions.defaults().withIdleTimeout(Duration.ofMillis(500)));
        PipedOutputStream keyboard = new PipedOutputStream();
        // A keepalive interval far beyond the idle timeout: the server drops the silent client.
        InteractiveClient silent = new InteractiveClient(new PipedInputStream(keyboard), terminal.out, terminal.err,
                PATIENCE.multipliedBy(10));
        try {
            assertThat(silent.run(address, null)).isEqualTo(InteractiveClient.LOST);
        } finally {
            keyboard.close();
        }
        assertThat(terminal.outLines()).containsExactly("* welcome guest-1 (1 online)", "!error idle timeout");
        assertThat(terminal.errLines()).containsExactly("server closed the connection: idle timeout");
    }

    @Test
    void saysInOneLineThatTheServerSentAnInvalidFrame() throws Exception {
        try (ServerSocket impostor = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Future<?> serve = executor.submit(() -> {
                try (Socket socket = impostor.accept(); OutputStream out = socket.getOutputStream()) {
                    out.write(("hello" + " ".repeat(59)).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    // Keep the connection open until the client has closed it: its verdict must be about the header.
                    socket.getInputStream().readAllBytes();
                }
                return null;
            });

            int status = client("").run((InetSocketAddress) impostor.getLocalSocketAddress(), null);

            assertThat(status).isEqualTo(InteractiveClient.LOST);
            assertThat(terminal.errLines()).singleElement().asString()
                    .startsWith("server sent an invalid frame: malformed header: unexpected byte 'h'");
            serve.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void keepsTheConnectionAliveWhileTheUserOnlyReads() throws Exception {
        Duration idleTimeout = Duration.ofSeconds(1);
        InetSocketAddress address = startServer(ServerOptions.defaults().withIdleTimeout(idleTimeout));
        PipedOutputStream keyboard = new PipedOutputStream();
        InteractiveClient quiet = new InteractiveClient(new PipedInputStream(keyboard), terminal.out, terminal.err,
                Duration.ofMillis(200));
        Future<Integer> status = executor.submit(() -> quiet.run(address, null));

        // Three idle timeouts without typing: a client that sent nothing would have been dropped.
        await().during(idleTimeout.multipliedBy(3)).atMost(idleTimeout.multipliedBy(3).plus(PATIENCE))
                .until(terminal::outLines, lines -> lines.size() <= 1);
        keyboard.close();

        assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
        assertThat(terminal.outLines()).containsExactly("* welcome guest-1 (1 online)");
        assertThat(terminal.errLines()).isEmpty();
    }

    private static void type(OutputStream keyboard, String text) throws IOException {
        keyboard.write(text.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }
}

package dev.socketchat.threadperclient;

import dev.socketchat.client.ChatClient;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/** What only lesson 02 shows: two threads per client, and what they do for a client that stops reading. */
@Timeout(120)
class ThreadPerClientServerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private ThreadPerClientServer server;

    private ThreadPerClientServer start(ServerOptions options) throws IOException {
        server = new ThreadPerClientServer(options.withPort(0), ServerConsole.silent());
        server.start();
        return server;
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void everyClientHasAReaderAndAWriterThreadWhichEndWithItsConnection() throws Exception {
        start(ServerOptions.defaults());
        try (ChatClient first = connectAndWelcome("* welcome guest-1 (1 online)");
             ChatClient second = connectAndWelcome("* welcome guest-2 (2 online)")) {
            assertThat(threadNames()).contains("acceptor",
                    "reader " + peer(first), "writer " + peer(first),
                    "reader " + peer(second), "writer " + peer(second));

            first.disconnect();
            assertThat(first.receive()).isEqualTo("* guest-2 joined");
            assertThat(first.receive()).isNull();
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(threadNames())
                    .doesNotContain("reader " + peer(first), "writer " + peer(first))
                    .contains("reader " + peer(second), "writer " + peer(second)));
        }
    }

    @Test
    void aClientThatNeverReadsStallsNobodyAndIsDroppedAsTooSlow() throws Exception {
        start(ServerOptions.defaults().withOutboundLimit(64 * 1024));
        Socket smallWindow = new Socket();
        smallWindow.setReceiveBufferSize(4096);
        try (ChatClient slow = connectAndWelcome(smallWindow, "* welcome guest-1 (1 online)");
             ChatClient fast = connectAndWelcome(new Socket(), "* welcome guest-2 (2 online)")) {
            // From here on, slow reads nothing: the socket buffers fill, then its outbox.

            String message = "x".repeat(16 * 1024);
            boolean dropped = false;
            // Enough to fill any loopback socket buffers many times over.
            for (int sent = 0; sent < 4_000 && !dropped; sent++) {
                fast.send(message);
                // The fast client's own copy arrives every time: its writer does not wait for slow's.
                String frame;
                while (!(frame = fast.receive()).equals("[guest-2] " + message)) {
                    dropped |= frame.equals("* guest-1 left (too slow)");
                }
            }
            if (!dropped) {
                fail("the client that never reads was not dropped");
            }
            fast.send("still here");
            assertThat(fast.receive()).isEqualTo("[guest-2] still here");

            assertClosedByServer(slow);
        }
    }

    @Test
    void afterStopNoThreadOfTheServerIsLeft() throws Exception {
        start(ServerOptions.defaults().withGrace(Duration.ofSeconds(2)));
        try (ChatClient first = connectAndWelcome("* welcome guest-1 (1 online)");
             ChatClient second = connectAndWelcome("* welcome guest-2 (2 online)")) {
            assertThat(first.receive()).isEqualTo("* guest-2 joined");

            // Neither client reads or closes while stop() runs: it must end their threads anyway.
            server.stop();

            assertThat(threadNames()).doesNotContain("acceptor",
                    "reader " + peer(first), "writer " + peer(first),
                    "reader " + peer(second), "writer " + peer(second));
            assertThat(first.receive(PATIENCE)).isEqualTo("* server shutting down");
            assertThat(second.receive(PATIENCE)).isEqualTo("* server shutting down");
        }
    }

    /** Connects a client and checks its welcome: the next client is only connected once this one is in. */
    private ChatClient connectAndWelcome(String welcome) throws IOException {
        return connectAndWelcome(new Socket(), welcome);
    }

    private ChatClient connectAndWelcome(Socket unconnected, String welcome) throws IOException {
        ChatClient client = ChatClient.connect(server.address(), unconnected, ChatClient.DEFAULT_MAX_INBOUND);
        assertThat(client.receive()).isEqualTo(welcome);
        return client;
    }

    /** Reads what is still buffered; the stream must then end, or be reset, as a drop does. */
    private static void assertClosedByServer(ChatClient client) {
        try {
            while (client.receive(PATIENCE) != null) {
                // Frames written before the drop: discarded.
            }
        } catch (SocketTimeoutException e) {
            fail("the connection is still open: nothing arrived for " + PATIENCE);
        } catch (IOException e) {
            // Reset: the server closed the socket with data unsent.
        }
    }

    private static String peer(ChatClient client) {
        return "127.0.0.1:" + client.socket().getLocalPort();
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .collect(Collectors.toSet());
    }
}

package dev.socketchat.singlethreaded;

import dev.socketchat.client.ChatClient;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What only lesson 01 shows: one thread serves one client, and everyone else waits. */
class SingleThreadedServerTest {

    /** Long enough for a loaded machine to deliver a frame that is on its way. */
    private static final long PATIENCE_SECONDS = 10;

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private SingleThreadedServer server;

    @BeforeEach
    void startServer() throws IOException {
        // An idle timeout far beyond the test: nothing here may end because a client was idle.
        ServerOptions options = ServerOptions.defaults().withPort(0).withIdleTimeout(Duration.ofMinutes(10));
        server = new SingleThreadedServer(options, ServerConsole.silent());
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop();
        executor.shutdownNow();
    }

    @Test
    void secondClientGetsNothingNotEvenItsWelcomeUntilTheFirstLeaves() throws Exception {
        try (ChatClient first = ChatClient.connect(server.address());
             ChatClient second = ChatClient.connect(server.address())) {
            assertThat(first.receive()).isEqualTo("* welcome guest-1 (1 online)");

            // The second connection is established (the OS completed it), but nobody reads it.
            Future<String> secondWelcome = executor.submit(() -> second.receive());
            first.send("hello");
            assertThat(first.receive()).isEqualTo("[guest-1] hello");
            assertThatThrownBy(() -> secondWelcome.get(1, TimeUnit.SECONDS))
                    .as("the second client is not served while the first is connected")
                    .isInstanceOf(TimeoutException.class);

            first.disconnect();
            assertThat(first.receive()).as("end of stream after !Disconnect").isNull();
            assertThat(secondWelcome.get(PATIENCE_SECONDS, TimeUnit.SECONDS))
                    .isEqualTo("* welcome guest-2 (1 online)");
            second.send("my turn");
            assertThat(second.receive()).isEqualTo("[guest-2] my turn");
        }
    }

    @Test
    void aFaultEndsOnlyThatClientAndTheNextOneIsServed() throws Exception {
        try (ChatClient rude = ChatClient.connect(server.address());
             ChatClient next = ChatClient.connect(server.address())) {
            assertThat(rude.receive()).isEqualTo("* welcome guest-1 (1 online)");
            byte[] badHeader = ("12x" + " ".repeat(61)).getBytes(StandardCharsets.US_ASCII);
            rude.sendRaw(badHeader);
            assertThat(rude.receive()).startsWith("!error malformed header");
            assertThat(rude.receive()).isNull();

            assertThat(next.receive(Duration.ofSeconds(PATIENCE_SECONDS))).isEqualTo("* welcome guest-2 (1 online)");
        }
    }

    @Test
    void stopWakesTheThreadFromItsBlockingReadAndSaysGoodbye() throws Exception {
        try (ChatClient client = ChatClient.connect(server.address())) {
            assertThat(client.receive()).isEqualTo("* welcome guest-1 (1 online)");

            // The server thread is now blocked reading from this idle client.
            Future<?> stopped = executor.submit(server::stop);
            assertThat(client.receive(Duration.ofSeconds(PATIENCE_SECONDS))).isEqualTo("* server shutting down");
            assertThat(client.receive(Duration.ofSeconds(PATIENCE_SECONDS))).isNull();
            stopped.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        }
        assertThat(Thread.getAllStackTraces().keySet())
                .as("no server thread outlives stop()")
                .noneMatch(thread -> thread.getName().equals("server"));
    }
}

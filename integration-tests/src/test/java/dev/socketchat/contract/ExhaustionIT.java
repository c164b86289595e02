package dev.socketchat.contract;

import dev.socketchat.client.ChatClient;
import dev.socketchat.server.ServerOptions;
import dev.socketchat.server.Sockets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import static dev.socketchat.contract.RawFrames.concat;
import static dev.socketchat.contract.RawFrames.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * docs/protocol.md §7 at the edge of the process's own resources, against the packaged server of
 * every model in a JVM of its own ({@link ServerProcess}) with {@value #OPEN_FILES} file descriptors
 * and {@value #HEAP} of heap, run with {@code --quiet}:
 * <ol>
 *   <li><b>Memory follows bytes received.</b> {@value #HEADER_FLOOD} clients each send a header that
 *       announces the maximum payload (1 MiB) and one byte of it, and stay. Allocating what they
 *       announce would take several times the heap; a member still chats and a newcomer is welcomed.</li>
 *   <li><b>Running out of descriptors is survivable.</b> {@value #FD_FLOOD} clients connect and stay,
 *       far beyond the descriptors the server has. The member in the room still chats; while the server
 *       cannot accept it does not spin (it uses well under a core); it says so in one line per episode
 *       (a line when accepting fails, a line when it works again, never a line per failure), and once
 *       the flood hangs up, it accepts again.</li>
 *   <li><b>Quiet means quiet.</b> Its console shows not one stack trace, and SIGTERM ends it with
 *       status 0 within the grace period and a second.</li>
 * </ol>
 * A model that serves one client at a time cannot show a member chatting beside a newcomer, and is
 * skipped, with the reason.
 */
@DisplayName("contract at the process's limits")
@EnabledOnOs(value = OS.LINUX, disabledReason = "ulimit, /proc and a child JVM: Linux")
class ExhaustionIT {

    private static final int OPEN_FILES = 256;
    private static final String HEAP = "48m";
    private static final int HEADER_FLOOD = 150;
    private static final int FD_FLOOD = 400;
    /**
     * Every flood comes from 127.0.0.1, and the default share of one address (docs/protocol.md §7)
     * would refuse most of it before it reached the limits checked here: the newcomer after the
     * header flood would be refused until the frame timeout had dropped the announcers. Raised out
     * of the way, so that the announcers all hold their frames while the newcomer is welcomed.
     */
    private static final int SHARE_PER_ADDRESS = 1 + HEADER_FLOOD + FD_FLOOD + 10;
    private static final Duration GRACE = Duration.ofSeconds(1);
    /**
     * The announcers hold their frames this long. A pool's threads are held by them until then, so
     * that the pools welcome the newcomer only once it has passed: shorter than the default 10 s,
     * which this check is not about, and still long enough for the member to chat while they hold.
     */
    private static final Duration FRAME_TIMEOUT = Duration.ofSeconds(3);
    /** The window over which the server's CPU use is measured while it cannot accept. */
    private static final Duration CPU_WINDOW = Duration.ofMillis(500);
    /** Most CPU time it may use in that window: a spinning accept loop uses all of it, on every window. */
    private static final Duration CPU_ALLOWED = Duration.ofMillis(150);

    @TestFactory
    Stream<DynamicTest> everyModel() {
        String behaviour = "a header flood on a small heap, then descriptor exhaustion: members chat on, "
                + "no spinning, one line per episode, no stack trace, newcomers welcomed after, exit 0 on SIGTERM";
        return Variant.all().stream().map(variant -> dynamicTest(variant.name() + ": " + behaviour, () -> {
            variant.fit(ServerOptions.defaults(), 2);
            // The floods would eat the margins of the clocks in another JVM, and their load the
            // margin of the CPU budget here: one at a time.
            try {
                MachineLock.holding(() -> survivesTheFloods(variant));
            } catch (Exception | AssertionError e) {
                throw new AssertionError(variant.name() + ": " + behaviour + ": " + e.getMessage(), e);
            }
        }));
    }

    private static void survivesTheFloods(Variant variant) throws Exception {
        List<String> options = new ArrayList<>(variant.cliOptions());
        options.addAll(List.of("--quiet", "--grace", GRACE.toMillis() + "ms",
                "--frame-timeout", FRAME_TIMEOUT.toMillis() + "ms",
                "--max-clients-per-address", Integer.toString(SHARE_PER_ADDRESS)));
        try (ServerProcess server = ServerProcess.start(variant.model().name(), OPEN_FILES, HEAP, options)) {
            try (ChatClient member = ChatClient.connect(server.address())) {
                assertThat(member.receive()).startsWith("* welcome ");

                List<Socket> announcers = flood(server, HEADER_FLOOD, concat(header("1048576"), new byte[] {'x'}));
                try {
                    chats(member, "after the header flood");
                    welcomesANewcomer(server);
                } finally {
                    announcers.forEach(Sockets::closeQuietly);
                }

                List<Socket> hoarders = flood(server, FD_FLOOD, new byte[0]);
                try {
                    await("the server reporting that it cannot accept").atMost(TestClient.WAIT)
                            .until(() -> server.console().stream().anyMatch(line -> line.startsWith("[error] accept failed")));
                    // The flood's joins take CPU for a moment; then a server that does not spin goes quiet.
                    await("the server using at most " + CPU_ALLOWED.toMillis() + " ms of CPU in a window of "
                            + CPU_WINDOW.toMillis() + " ms while it cannot accept").atMost(TestClient.WAIT)
                            .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                            .until(new CpuWindow(server)::endedQuiet);
                    chats(member, "while the server cannot accept");
                } finally {
                    hoarders.forEach(Sockets::closeQuietly);
                }
                await("the server accepting again").atMost(TestClient.WAIT)
                        .until(() -> server.console().stream().anyMatch(line -> line.startsWith("[error] accepting again")));
                welcomesANewcomer(server);
                chats(member, "after the descriptors came back");
            }
            ServerProcess.Exit exit = server.terminate(GRACE.plus(TestClient.WAIT));
            List<String> console = server.console();
            assertThat(exit.status()).as("exit status after SIGTERM; console: %s", console).isZero();
            assertThat(exit.took()).as("from SIGTERM to exit, with a grace period of %s", GRACE)
                    .isLessThanOrEqualTo(GRACE.plus(ShutdownChecks.SHUTDOWN_MARGIN));
            assertThat(console).as("the console of a --quiet server")
                    .noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception in thread"));
            List<String> episodes = console.stream()
                    .filter(line -> line.startsWith("[error] accept")).map(line -> line.substring(0, 20)).toList();
            for (int i = 0; i < episodes.size(); i++) {
                // One line when accepting fails, one when it works again: never a line per failure.
                assertThat(episodes.get(i)).as("accept report %d of %s", i, episodes)
                        .isEqualTo(i % 2 == 0 ? "[error] accept faile" : "[error] accepting ag");
            }
        }
    }

    /**
     * The server's CPU time over consecutive windows of {@link #CPU_WINDOW}, read as Awaitility polls
     * it: each poll that closes a window says whether the server stayed within {@link #CPU_ALLOWED}
     * and opens the next one.
     */
    private static final class CpuWindow {
        private final ServerProcess server;
        private long openedAt;
        private Duration cpuAtOpening;

        CpuWindow(ServerProcess server) throws Exception {
            this.server = server;
            open();
        }

        boolean endedQuiet() throws Exception {
            if (System.nanoTime() - openedAt < CPU_WINDOW.toNanos()) {
                return false;
            }
            boolean quiet = server.cpuTime().minus(cpuAtOpening).compareTo(CPU_ALLOWED) <= 0;
            open();
            return quiet;
        }

        private void open() throws Exception {
            openedAt = System.nanoTime();
            cpuAtOpening = server.cpuTime();
        }
    }

    /** Connects {@code count} clients that each send {@code bytes} and then stay, without reading. */
    private static List<Socket> flood(ServerProcess server, int count, byte[] bytes) throws IOException {
        List<Socket> sockets = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket();
                sockets.add(socket);
                // The kernel completes the connection whether or not the server can accept it.
                socket.connect(server.address(), (int) TestClient.WAIT.toMillis());
                socket.getOutputStream().write(bytes);
            }
        } catch (IOException | RuntimeException e) {
            sockets.forEach(Sockets::closeQuietly);
            throw e;
        }
        return sockets;
    }

    private static void chats(ChatClient member, String text) throws IOException {
        member.send("!ping " + text);
        String reply;
        do {
            reply = member.receive(TestClient.WAIT);
            assertThat(reply).as("a reply to the member's ping " + text).isNotNull();
        } while (!reply.startsWith("!pong"));
        assertThat(reply).isEqualTo("!pong " + text);
    }

    /** A newcomer is welcomed, at once or after a few refused tries while connections close. */
    private static void welcomesANewcomer(ServerProcess server) {
        ChatClient newcomer = await("a newcomer welcomed").atMost(TestClient.WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    ChatClient client = ChatClient.connect(server.address());
                    try {
                        String first = client.receive(Duration.ofSeconds(2));
                        if (first != null && first.startsWith("* welcome ")) {
                            return client;
                        }
                    } catch (IOException notYet) {
                        // Refused, closed at once, or no welcome yet: the next try may be luckier.
                    }
                    client.close();
                    return null;
                }, Objects::nonNull);
        Sockets.closeQuietly(newcomer);
    }
}

package dev.socketchat.cli;

import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerModels;
import dev.socketchat.server.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code chat load} holds N clients on a real server, chats at the rate asked, reports what it
 * sees once a second, and lets every client go when it is stopped.
 */
class LoadCommandTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Pattern STATUS = Pattern.compile(
            "\\[load] connected (\\d+) of (\\d+)  sent ([\\d,]+)/s  received ([\\d,]+)/s  p99 round trip ([\\d.]+ ms|–)  lost (\\d+)");

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ServerConsole console = ServerConsole.silent();
    private ChatServer server;

    @AfterEach
    void stopEverything() {
        executor.shutdownNow();
        if (server != null) {
            server.stop();
        }
    }

    private int startServer() throws Exception {
        server = ServerModels.named("nio-selector").orElseThrow()
                .create(ServerOptions.defaults().withPort(0).withNotices(false), console);
        server.start();
        return server.address().getPort();
    }

    @Test
    void chattingClientsAllJoinMeasureRoundTripsAndLeaveOnStop() throws Exception {
        int port = startServer();
        Terminal terminal = new Terminal();
        ManualStop stop = new ManualStop();
        Future<Integer> status = executor.submit(() -> ChatCommand
                .commandLine(InputStream.nullInputStream(), terminal.out, terminal.err, stop)
                .execute("load", "--clients", "50", "--chat", "200", "--port", Integer.toString(port)));

        // Every client in, messages flowing both ways, and round trips timed: 50 members receive each of 200/s.
        await().atMost(PATIENCE).until(() -> terminal.outLines().stream()
                .map(STATUS::matcher).filter(Matcher::matches)
                .anyMatch(m -> m.group(1).equals("50") && !m.group(5).equals("–")
                        && Long.parseLong(m.group(4).replace(",", "")) > 0));
        assertThat(console.clients()).isEqualTo(50);

        stop.request();
        assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
        await().atMost(PATIENCE).until(() -> console.clients() == 0);
        assertThat(terminal.errLines()).isEmpty();
        assertThat(terminal.outLines()).first().asString().startsWith("[load] 50 chatting clients to 127.0.0.1:" + port);
    }

    @Test
    void idleClientsStayConnectedAndSendNoMessages() throws Exception {
        int port = startServer();
        Terminal terminal = new Terminal();
        ManualStop stop = new ManualStop();
        Future<Integer> status = executor.submit(() -> ChatCommand
                .commandLine(InputStream.nullInputStream(), terminal.out, terminal.err, stop)
                .execute("load", "--clients", "20", "--idle", "--port", Integer.toString(port)));

        await().atMost(PATIENCE).until(() -> terminal.outLines().stream().anyMatch(line -> line.startsWith(
                "[load] connected 20 of 20  sent 0/s  received 0/s  p99 round trip –  lost 0")));
        assertThat(console.clients()).isEqualTo(20);
        stop.request();
        assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
    }

    @Test
    void tooManyClientsIsAUsageErrorOfOneLine() {
        Terminal terminal = new Terminal();
        int status = ChatCommand.commandLine(InputStream.nullInputStream(), terminal.out, terminal.err, new ManualStop())
                .execute("load", "--clients", "20000");
        assertThat(status).isEqualTo(2);
        assertThat(terminal.errLines()).singleElement().asString()
                .isEqualTo("chat load: --clients must be between 1 and 19000, not 20000 (see ./chat load --help)");
    }

    @Test
    void idleAndChatTogetherIsAUsageError() {
        Terminal terminal = new Terminal();
        int status = ChatCommand.commandLine(InputStream.nullInputStream(), terminal.out, terminal.err, new ManualStop())
                .execute("load", "--idle", "--chat", "10");
        assertThat(status).isEqualTo(2);
        assertThat(terminal.errLines()).singleElement().asString().startsWith("chat load: ");
    }
}

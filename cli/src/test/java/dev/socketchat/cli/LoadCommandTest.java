package dev.socketchat.cli;

import dev.socketchat.load.ClientDriver;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerModels;
import dev.socketchat.server.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
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
 * sees once a second, says when it cannot get in or the server falls behind, and lets every client
 * go when it is stopped.
 */
class LoadCommandTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Pattern STATUS = Pattern.compile(
            "\\[load] connected (\\d+) of (\\d+)  connecting (\\d+)  refused (\\d+)  dropped (\\d+)  sent ([\\d,]+)/s  "
                    + "back ([\\d,]+)/s  received ([\\d,]+)/s  in flight ([\\d,]+)  p99 round trip ([\\d.]+ ms|–)(  \\(first refused: .*\\))?");

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

    private int startServer(ServerOptions options) throws Exception {
        server = ServerModels.named("nio-selector").orElseThrow().create(options.withPort(0).withNotices(false), console);
        server.start();
        return server.address().getPort();
    }

    private Future<Integer> load(Terminal terminal, ManualStop stop, String... arguments) {
        return executor.submit(() -> ChatCommand.commandLine(InputStream.nullInputStream(), terminal.out, terminal.err, stop)
                .execute(arguments));
    }

    @Test
    void chattingClientsAllJoinMeasureRoundTripsAndLeaveOnStop() throws Exception {
        int port = startServer(ServerOptions.defaults());
        Terminal terminal = new Terminal();
        ManualStop stop = new ManualStop();
        Future<Integer> status = load(terminal, stop, "load", "--clients", "50", "--chat", "200", "--port", Integer.toString(port));

        // Every client in, messages flowing both ways, and round trips timed: 50 members receive each of 200/s.
        await().atMost(PATIENCE).until(() -> terminal.outLines().stream()
                .map(STATUS::matcher).filter(Matcher::matches)
                .anyMatch(m -> m.group(1).equals("50") && !m.group(10).equals("–")
                        && Long.parseLong(m.group(7).replace(",", "")) > 0
                        && Long.parseLong(m.group(8).replace(",", "")) > 0));
        assertThat(console.clients()).isEqualTo(50);

        stop.request();
        assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
        await().atMost(PATIENCE).until(() -> console.clients() == 0);
        assertThat(terminal.errLines()).isEmpty();
        assertThat(terminal.outLines()).first().asString().startsWith("[load] 50 chatting clients to 127.0.0.1:" + port);
    }

    @Test
    void idleClientsStayConnectedAndSendNoMessages() throws Exception {
        int port = startServer(ServerOptions.defaults());
        Terminal terminal = new Terminal();
        ManualStop stop = new ManualStop();
        Future<Integer> status = load(terminal, stop, "load", "--clients", "20", "--idle", "--port", Integer.toString(port));

        await().atMost(PATIENCE).until(() -> terminal.outLines().stream().anyMatch(line -> line.equals(
                "[load] connected 20 of 20  connecting 0  refused 0  dropped 0  sent 0/s  back 0/s  received 0/s  "
                        + "in flight 0  p99 round trip –")));
        assertThat(console.clients()).isEqualTo(20);
        stop.request();
        assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
    }

    /**
     * The case the old line got wrong ("connected 100 of 300 ... lost 100"): now the counts add up to
     * N. One client too many: beyond the full room's few lingering refusals the server closes a
     * connection without a word, and the first refusal quoted would then depend on who came first.
     */
    @Test
    void aClientAFullServerRefusesIsCountedQuotedAndTheCountsAddUpToN() throws Exception {
        int port = startServer(ServerOptions.defaults().withMaxClients(3));
        Terminal terminal = new Terminal();
        ManualStop stop = new ManualStop();
        Future<Integer> status = load(terminal, stop, "load", "--clients", "4", "--idle", "--port", Integer.toString(port));

        await().atMost(PATIENCE).until(() -> terminal.outLines().stream().anyMatch(line -> line.equals(
                "[load] connected 3 of 4  connecting 0  refused 1  dropped 0  sent 0/s  back 0/s  received 0/s  "
                        + "in flight 0  p99 round trip –  (first refused: !error server full)")));
        assertThat(terminal.outLines()).filteredOn(line -> line.startsWith("[load] connected")).isNotEmpty().allSatisfy(line -> {
            Matcher m = STATUS.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            int sum = Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(3)) + Integer.parseInt(m.group(4))
                    + Integer.parseInt(m.group(5));
            assertThat(sum).as(line).isEqualTo(4);
        });
        stop.request();
        assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
    }

    @Test
    void noServerListeningIsOneLineAndExitStatusOne() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // free once closed: nothing listens there
        }
        Terminal terminal = new Terminal();
        Future<Integer> status = load(terminal, new ManualStop(), "load", "--clients", "5", "--port", Integer.toString(port));

        // Every client is refused at once, so it gives up well before the 10 s it would wait for a slow server.
        assertThat(status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(terminal.errLines()).singleElement().asString()
                .startsWith("chat load: cannot connect to 127.0.0.1:" + port + ": ")
                .endsWith("(5 of 5 clients refused)");
    }

    @Test
    void aServerThatNeverWelcomesIsGivenUpAfterTenSeconds() {
        ClientDriver.Connections none = new ClientDriver.Connections(0, 0, 0, "");
        LoadClients.Snapshot waiting = new LoadClients.Snapshot(none, 5, 0, 0, 0, 0, Double.NaN);
        assertThat(LoadCommand.cannotConnect(waiting, 9)).isEmpty();
        assertThat(LoadCommand.cannotConnect(waiting, 10)).hasValue("no welcome within 10 s (0 of 5 clients refused)");

        LoadClients.Snapshot oneIn = new LoadClients.Snapshot(new ClientDriver.Connections(1, 4, 1, "reset"), 5, 0, 0, 0, 0, Double.NaN);
        assertThat(LoadCommand.cannotConnect(oneIn, 60)).as("a client got in once: not a failure to connect").isEmpty();
    }

    @Test
    void fallingBehindIsSaidWhenTheBacklogGrowsAndP99RisesNotOnJitter() {
        ClientDriver.Connections all = new ClientDriver.Connections(100, 0, 0, "");
        LoadClients.Snapshot steady = new LoadClients.Snapshot(all, 100, 1_000, 1_000, 100_000, 4, 2.0);
        LoadClients.Snapshot jitter = new LoadClients.Snapshot(all, 100, 1_000, 995, 99_500, 9, 2.5);
        LoadClients.Snapshot behind = new LoadClients.Snapshot(all, 100, 1_000, 700, 70_000, 304, 40.0);
        LoadClients.Snapshot stalled = new LoadClients.Snapshot(all, 100, 1_000, 0, 0, 1_304, Double.NaN);
        LoadClients.Snapshot catchingUp = new LoadClients.Snapshot(all, 100, 1_000, 900, 90_000, 504, 30.0);

        assertThat(LoadCommand.fallingBehind(null, steady)).isEmpty();
        assertThat(LoadCommand.fallingBehind(steady, jitter)).as("5 more in flight of 1,000 sent").isEmpty();
        assertThat(LoadCommand.fallingBehind(jitter, behind)).hasValue("[load] the server is falling behind: 1,000 sent, "
                + "700 back in the last second, 304 in flight (was 9), p99 round trip up from 2.5 to 40.0 ms");
        assertThat(LoadCommand.fallingBehind(behind, stalled)).hasValueSatisfying(line -> assertThat(line)
                .endsWith("1,304 in flight (was 304), p99 round trip – (none back)"));
        assertThat(LoadCommand.fallingBehind(behind, catchingUp)).as("p99 falling").isEmpty();
    }

    @Test
    void helpDefinesEveryColumnOfTheStatusLine() {
        Terminal terminal = new Terminal();
        int status = ChatCommand.commandLine(InputStream.nullInputStream(), terminal.out, terminal.err, new ManualStop())
                .execute("load", "--help");
        assertThat(status).isZero();
        String help = String.join("\n", terminal.outLines());
        for (String column : new String[]{"connected C of N", "connecting", "refused", "dropped", "sent", "back",
                "received", "in flight", "p99 round trip"}) {
            assertThat(help).as(column).containsPattern("(?m)^  " + Pattern.quote(column) + " +\\S");
        }
        assertThat(help).contains("connected + connecting + refused + dropped = N", "falling behind", "exit status is 1");
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

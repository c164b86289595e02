package dev.socketchat.threadpool;

import dev.socketchat.client.ChatClient;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ModelSetting;
import dev.socketchat.server.ServerOptions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** What only the pool shows: a fixed number of clients at once, and a prompt refusal for the next. */
class ThreadPoolServerTest {

    /** Long enough for a loaded two-core machine; a client left waiting in a queue would wait forever. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** Four threads: two clients at once. */
    private static final ServerOptions TWO_CLIENTS = ServerOptions.defaults().withPort(0).with(ModelSetting.THREADS, 4);

    private final List<ChatClient> clients = new ArrayList<>();
    private final ByteArrayOutputStream consoleOutput = new ByteArrayOutputStream();
    private ChatServer server;

    @AfterEach
    void tearDown() throws IOException {
        for (ChatClient client : clients) {
            client.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void clientsUpToHalfThePoolAreServedAndTheNextIsRefusedAtOnce() throws IOException {
        start(TWO_CLIENTS);
        ChatClient first = connectAndAwaitWelcome();
        ChatClient second = connectAndAwaitWelcome();

        ChatClient third = connect();

        // A client queued for a thread would hear nothing here, and receive would time out.
        assertThat(third.receive(PATIENCE)).isEqualTo("!error server full: all 4 threads in use");
        assertThat(third.receive(PATIENCE)).as("end of stream after the refusal").isNull();
        assertThat(consoleOutput.toString(StandardCharsets.UTF_8))
                .contains("refused", "server full: all 4 threads in use");

        first.send("still here");
        assertThat(first.receive(PATIENCE)).as("the refused client never joined").isEqualTo("* guest-2 joined");
        assertThat(first.receive(PATIENCE)).isEqualTo("[guest-1] still here");
        assertThat(second.receive(PATIENCE)).isEqualTo("[guest-1] still here");
    }

    @Test
    void aRefusedClientThatTalksFirstStillReadsTheRefusalAndACleanEndOfStream() throws IOException {
        start(TWO_CLIENTS);
        connectAndAwaitWelcome();
        connectAndAwaitWelcome();

        ChatClient third = connect();
        // Input the server never reads is still unread when it closes, which makes the close a reset.
        // Linux lets the client read what arrived before the reset; other systems, and frames still in
        // flight on a real network, lose it. Hence the server's lingering close, which keeps this green everywhere.
        third.send("hello?");
        third.send("anyone?");

        assertThat(third.receive(PATIENCE)).isEqualTo("!error server full: all 4 threads in use");
        assertThat(third.receive(PATIENCE)).isNull();
    }

    @Test
    void aClientThatLeavesGivesItsThreadsBackForTheNextClient() throws IOException {
        start(TWO_CLIENTS);
        ChatClient first = connectAndAwaitWelcome();
        ChatClient second = connectAndAwaitWelcome();

        first.disconnect();
        assertThat(second.receive(PATIENCE)).isEqualTo("* guest-1 left");
        assertThat(drainUntilEnd(first)).as("the leaver's stream ends").isTrue();
        first.close();

        // The slot comes back once the server has finished closing; until then a newcomer is refused.
        String welcome = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(this::connectOnce, reply -> reply.startsWith("* welcome "));
        assertThat(welcome).endsWith("(2 online)");
    }

    @Test
    void aFlooderHeldBackByItsRateKeepsOnlyItsOwnThreadWaiting() throws IOException {
        // One frame a second once the flooder's single token is spent: its 50 frames are 49 s of
        // pauses, far past the patience, so another client whose reading waited behind those pauses
        // for a pool thread would see its own message come back too late.
        start(TWO_CLIENTS.withMaxRate(1).withMaxBurst(1));
        ChatClient flooder = connectAndAwaitWelcome();
        ChatClient other = connectAndAwaitWelcome();
        for (int i = 0; i < 50; i++) {
            flooder.send("flood " + i);
        }
        assertThat(readUntil(flooder, "!error slow down")).as("the flooder is held back").isTrue();

        long sent = System.nanoTime();
        other.send("hello");

        assertThat(readUntil(other, "[guest-2] hello")).as("the other client's message came back").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(PATIENCE);
    }

    /**
     * Reads until {@code frame} arrives: false if the stream ends first, a {@code SocketTimeoutException}
     * if nothing at all comes within the patience.
     */
    private static boolean readUntil(ChatClient client, String frame) throws IOException {
        String received;
        while ((received = client.receive(PATIENCE)) != null) {
            if (received.equals(frame)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void eachClientHoldsTwoPoolThreadsAndStopLeavesNoThread() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        start(TWO_CLIENTS);
        List<Thread> started = liveThreads(thread -> !before.contains(thread)
                && thread.getName().matches("acceptor|closer|worker-\\d+"));
        assertThat(started).as("the whole pool exists from the start").extracting(Thread::getName)
                .containsExactlyInAnyOrder("acceptor", "closer", "worker-1", "worker-2", "worker-3", "worker-4");

        ChatClient first = connectAndAwaitWelcome();
        ChatClient second = connectAndAwaitWelcome();
        assertThat(first.receive(PATIENCE)).isEqualTo("* guest-2 joined");
        ChatClient refused = connect();
        assertThat(refused.receive(PATIENCE)).startsWith("!error server full");
        // A pool thread carries its client's name while it serves it.
        assertThat(liveThreads(thread -> thread.getName().matches("(reader|writer) .*")))
                .as("two pool threads per client, no thread of their own").hasSize(4).allMatch(started::contains);

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);
        for (ChatClient client : List.of(first, second)) {
            assertThat(client.receive(PATIENCE)).isEqualTo("* server shutting down");
            assertThat(drainUntilEnd(client)).isTrue();
            client.close();
        }
        stopping.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        assertThat(started).noneMatch(Thread::isAlive);
    }

    @Test
    void aPoolSizeThatCannotServeWholeClientsIsRejectedWithItsReason() {
        ThreadPoolModel model = new ThreadPoolModel();
        ServerConsole console = ServerConsole.silent();

        assertThatThrownBy(() -> model.create(ServerOptions.defaults().with(ModelSetting.THREADS, 1), console))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("even number of threads, at least 2");
        assertThatThrownBy(() -> model.create(ServerOptions.defaults().with(ModelSetting.THREADS, 7), console))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reader and a writer");
    }

    @Test
    void theModelReportsHalfThePoolAsItsClientLimit() {
        ThreadPoolModel model = new ThreadPoolModel();

        assertThat(model.concurrentClientLimit(ServerOptions.defaults()))
                .hasValue(ThreadPoolServer.DEFAULT_THREADS / 2);
        assertThat(model.concurrentClientLimit(ServerOptions.defaults().with(ModelSetting.THREADS, 8))).hasValue(4);
        assertThat(model.concurrentClientLimit(ServerOptions.defaults().with(ModelSetting.THREADS, 8).withMaxClients(3)))
                .as("the room's limit is lower").isEmpty();
        assertThat(model.concurrentClientLimit(ServerOptions.defaults().with(ModelSetting.THREADS, 7)))
                .as("a size the server refuses serves no one").hasValue(0);
    }

    @Test
    void theModelSizesItsPoolToServeAGivenNumberOfClients() {
        ThreadPoolModel model = new ThreadPoolModel();

        for (int clients : new int[] {1, 3, 100, 1_000}) {
            ServerOptions options = model.optionsToServe(clients, ServerOptions.defaults());
            assertThat(options.get(ModelSetting.THREADS)).as("threads for %d clients", clients).isEqualTo(2 * clients);
            assertThat(model.concurrentClientLimit(options)).as("limit for %d clients", clients)
                    .satisfiesAnyOf(limit -> assertThat(limit).isEmpty(),
                            limit -> assertThat(limit.getAsInt()).isGreaterThanOrEqualTo(clients));
        }
    }

    private void start(ServerOptions options) throws IOException {
        server = new ThreadPoolModel().create(options,
                new ServerConsole(new PrintStream(consoleOutput, true, StandardCharsets.UTF_8), false));
        server.start();
    }

    private ChatClient connect() throws IOException {
        ChatClient client = ChatClient.connect(
                new InetSocketAddress(server.address().getAddress(), server.address().getPort()));
        clients.add(client);
        return client;
    }

    private ChatClient connectAndAwaitWelcome() throws IOException {
        ChatClient client = connect();
        assertThat(client.receive(PATIENCE)).startsWith("* welcome ");
        return client;
    }

    /** Connects, returns the first frame the server sends, and closes: one attempt to get a slot. */
    private String connectOnce() throws IOException {
        try (ChatClient client = ChatClient.connect(server.address())) {
            return client.receive(PATIENCE);
        }
    }

    /** Reads until the server ends the stream; false if it does not within the patience. */
    private static boolean drainUntilEnd(ChatClient client) throws IOException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (client.receive(PATIENCE) == null) {
                return true;
            }
        }
        return false;
    }

    private static List<Thread> liveThreads(Predicate<Thread> filter) {
        return Thread.getAllStackTraces().keySet().stream().filter(filter).toList();
    }
}

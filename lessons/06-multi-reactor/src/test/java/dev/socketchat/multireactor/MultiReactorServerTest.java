package dev.socketchat.multireactor;

import dev.socketchat.client.ChatClient;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ModelSetting;
import dev.socketchat.server.ServerModels;
import dev.socketchat.server.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What only several loops show: where clients land, that the room's one order survives the crossing,
 * and that stopping ends every thread, all seen from outside the server: its sockets in the kernel's
 * epoll sets, what clients receive, its threads by name. That a burst across loops wakes a loop once
 * is the inbox's own test (lesson 04's {@code LoopInboxTest}). The contract suite checks the protocol.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MultiReactorServerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final List<ChatClient> clients = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private MultiReactorServer server;

    @AfterEach
    void tearDown() throws IOException {
        for (ChatClient client : clients) {
            client.close();
        }
        if (server != null) {
            server.stop();
        }
        threads.shutdownNow();
    }

    @Test
    void isRegisteredUnderItsModelNameAndReadsLoops() {
        assertThat(ServerModels.named("multi-reactor")).hasValueSatisfying(model -> {
            assertThat(model.lesson()).isEqualTo(6);
            assertThat(model.settings()).containsExactly(ModelSetting.LOOPS);
        });
        assertThat(MultiReactorModel.loopsFor(options())).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(MultiReactorModel.loopsFor(options().with(ModelSetting.LOOPS, 3))).isEqualTo(3);
    }

    @Test
    void dealsClientsEvenlyToTheLoopsAndForgetsThemWhenTheyLeave() throws IOException {
        start(options().with(ModelSetting.LOOPS, 3));
        int port = server.address().getPort();

        for (int k = 1; k <= 7; k++) {
            connectAndWelcome();
            // Round-robin: after k clients, k / 3 on every loop and one more on the first k % 3.
            List<Integer> expected = new ArrayList<>();
            for (int loop = 0; loop < 3; loop++) {
                int onLoop = k / 3 + (loop < k % 3 ? 1 : 0);
                if (onLoop > 0) {
                    expected.add(onLoop);
                }
            }
            // A selector adds a new channel to its epoll set when it next selects: just after the welcome.
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(Selectors.watching(port))
                    .as("clients per selector after client %d", clients.size())
                    .containsExactlyInAnyOrderElementsOf(expected));
        }
        for (ChatClient client : clients) {
            client.disconnect();
        }

        await().atMost(PATIENCE).until(() -> Selectors.watching(port).isEmpty());
    }

    @Test
    void everyClientOnEveryLoopSeesTheSameOrder() throws Exception {
        // Three senders on three loops send 1,000 messages each at once, so the three loop threads
        // take the room's lock in alternation thousands of times: if the order depended on the loop
        // that delivers it rather than on the room, clients on different loops would disagree within
        // the first few hundred interleavings. Three receivers sit on the same three loops.
        start(options().with(ModelSetting.LOOPS, 3).withNotices(false));
        List<ChatClient> everyone = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            everyone.add(connectAndWelcome());
        }
        int perSender = 1_000;
        int total = 3 * perSender;
        List<CompletableFuture<List<String>>> received = new ArrayList<>();
        for (ChatClient client : everyone) {
            received.add(CompletableFuture.supplyAsync(() -> receive(client, total), threads));
        }
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            ChatClient sender = everyone.get(s);
            int id = s;
            sent.add(CompletableFuture.runAsync(() -> send(sender, id, perSender), threads));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        List<String> first = received.getFirst().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        for (CompletableFuture<List<String>> other : received) {
            assertThat(other.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(first);
        }
        for (int s = 0; s < 3; s++) {
            String prefix = "[guest-" + (s + 1) + "] m" + s + " ";
            List<String> own = first.stream().filter(line -> line.startsWith(prefix)).toList();
            assertThat(own).hasSize(perSender);
            for (int i = 0; i < perSender; i++) {
                assertThat(own.get(i)).isEqualTo(prefix + i);
            }
        }
    }

    @Test
    void stopEndsTheAcceptorAndEveryLoopWithinTheGracePeriod() throws Exception {
        Duration grace = Duration.ofSeconds(2);
        start(options().with(ModelSetting.LOOPS, 4).withGrace(grace).withNotices(false));
        for (int k = 0; k < 8; k++) {
            connectAndWelcome();
        }
        Set<Thread> serverThreads = serverThreads();
        assertThat(serverThreads).extracting(Thread::getName).containsExactlyInAnyOrder("multi-reactor-acceptor",
                "multi-reactor-loop-1", "multi-reactor-loop-2", "multi-reactor-loop-3", "multi-reactor-loop-4");

        long started = System.nanoTime();
        server.stop();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // The clients read nothing and keep their side open, so the loops wait for them: lingering,
        // which ends with the grace period at the latest.
        assertThat(took).isLessThan(grace.plusSeconds(1));
        assertThat(serverThreads).noneMatch(Thread::isAlive);
        for (ChatClient client : clients) {
            assertThat(client.receive(PATIENCE)).isEqualTo("* server shutting down");
            assertThat(client.receive(PATIENCE)).isNull();
        }
    }

    @Test
    void aServerThatFailedToStartHasNothingToStop() throws IOException {
        start(options().with(ModelSetting.LOOPS, 2));
        MultiReactorServer second = new MultiReactorServer(
                options().with(ModelSetting.LOOPS, 2).withPort(server.address().getPort()), ServerConsole.silent());

        Set<Thread> before = serverThreads();

        assertThatThrownBy(second::start).isInstanceOf(IOException.class);
        second.stop();
        assertThat(serverThreads()).isEqualTo(before);
    }

    private static ServerOptions options() {
        return ServerOptions.defaults().withPort(0)
                // These tests send bursts far beyond any person's rate on purpose; the rate limit has
                // checks of its own in the contract suite (FairShareChecks).
                .withMaxBurst(Integer.MAX_VALUE);
    }

    private void start(ServerOptions options) throws IOException {
        server = new MultiReactorServer(options, ServerConsole.silent());
        server.start();
    }

    /** Connects and waits for the welcome: the acceptor has handed the client over, in connection order. */
    private ChatClient connectAndWelcome() throws IOException {
        ChatClient client = ChatClient.connect(server.address());
        clients.add(client);
        assertThat(client.receive()).startsWith("* welcome guest-");
        return client;
    }

    private static void send(ChatClient sender, int id, int count) {
        try {
            for (int i = 0; i < count; i++) {
                sender.send("m" + id + " " + i);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> receive(ChatClient client, int count) {
        List<String> lines = new ArrayList<>(count);
        try {
            while (lines.size() < count) {
                lines.add(client.receive(PATIENCE));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    /** The live threads of multi-reactor servers, known by the names the server gives them. */
    private static Set<Thread> serverThreads() {
        Set<Thread> threads = new HashSet<>(Thread.getAllStackTraces().keySet());
        threads.removeIf(thread -> !thread.isAlive() || !thread.getName().startsWith("multi-reactor-"));
        return threads;
    }
}

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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What only several loops show: where clients land, how many wakeups a burst across loops costs,
 * that the room's one order survives the crossing, and that stopping ends every thread. The
 * contract suite checks the protocol itself.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MultiReactorServerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final int BURST = 100;

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
    void handsClientsToTheLoopsRoundRobinAndForgetsThemWhenTheyLeave() throws IOException {
        start(options().with(ModelSetting.LOOPS, 3));
        List<WorkerLoop> loops = server.loops();

        for (int k = 0; k < 7; k++) {
            connectAndWelcome();
            int[] expected = new int[3];
            for (int i = 0; i <= k; i++) {
                expected[i % 3]++;
            }
            assertThat(loops.stream().mapToInt(WorkerLoop::connectionCount).toArray())
                    .as("after client %d", k + 1).containsExactly(expected);
        }
        for (ChatClient client : clients) {
            client.disconnect();
        }

        await().atMost(PATIENCE).until(() -> loops.stream().allMatch(loop -> loop.connectionCount() == 0));
    }

    @Test
    void aBurstAcrossLoopsWakesABusyLoopOnceNotOncePerClientOrFrame() throws Exception {
        // Notices off: joins must not cross loops while the wakeups are counted.
        start(options().with(ModelSetting.LOOPS, 2).withNotices(false));
        WorkerLoop quiet = server.loops().get(1);
        List<ChatClient> onFirstLoop = new ArrayList<>();
        List<ChatClient> onSecondLoop = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            (k % 2 == 0 ? onFirstLoop : onSecondLoop).add(connectAndWelcome());
        }
        // Holds the second loop inside its inbox, where nothing reaches its selector.
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        quiet.execute(() -> {
            holding.countDown();
            awaitQuietly(release);
        });
        long wakeupsDuringBurst;
        try {
            assertThat(holding.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            long before = quiet.wakeups();


            ChatClient sender = onFirstLoop.getFirst();
            for (int i = 0; i < BURST; i++) {
                sender.send("burst " + i);
            }
            // The room offers each frame to every outbox in one pass: once a client on the first loop
            // has the last frame, all 10 outboxes on the second loop have all 100, and each of the 10
            // has asked the second loop, from the first loop's thread, to write it.
            ChatClient witness = onFirstLoop.get(1);
            for (int i = 0; i < BURST; i++) {
                assertThat(witness.receive()).isEqualTo("[guest-1] burst " + i);
            }
            wakeupsDuringBurst = quiet.wakeups() - before;
        } finally {
            release.countDown(); // else stop() would wait for the held loop for ever
        }

        assertThat(wakeupsDuringBurst).as("wakeups of the held loop for 10 clients x 100 frames").isEqualTo(1);
        for (ChatClient client : onSecondLoop) {
            for (int i = 0; i < BURST; i++) {
                assertThat(client.receive()).isEqualTo("[guest-1] burst " + i);
            }
        }
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
        List<Thread> serverThreads = server.threads();
        assertThat(serverThreads).hasSize(5).allMatch(Thread::isAlive);

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

        assertThatThrownBy(second::start).isInstanceOf(IOException.class);
        second.stop();
        assertThat(second.threads()).isEmpty();
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

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.socketchat.cluster;

import dev.socketchat.client.ChatClient;
import dev.socketchat.nio.NioSelectorModel;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerOptions;
import dev.socketchat.threadperclient.ThreadPerClientModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.socketchat.cluster.ClusterClients.WAIT;
import static dev.socketchat.cluster.ClusterClients.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One room over two servers of different models (thread-per-client and nio-selector) sharing one
 * real Redis, over real sockets: what a client of one sees from a client of the other.
 */
class TwoServerClusterTest {

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis();
    private static int room;

    private ChatServer a;
    private ChatServer b;
    private final List<ChatClient> clients = new ArrayList<>();

    @BeforeEach
    void startServers() throws IOException {
        // A room of its own for each test: nothing one test leaves behind reaches the next.
        ServerOptions options = ServerOptions.defaults().withPort(0)
                .withCluster(redis.uri() + "?lease=1s&room=test" + ++room);
        a = new ThreadPerClientModel().create(options, ServerConsole.silent());
        b = new NioSelectorModel().create(options, ServerConsole.silent());
        a.start();
        b.start();
    }

    @AfterEach
    void stopServers() throws IOException {
        for (ChatClient client : clients) {
            client.close();
        }
        a.stop();
        b.stop();
        // No thread outlives its server: stop() has joined the stream readers and the lease keepers.
        assertThat(Thread.getAllStackTraces().keySet()).map(Thread::getName)
                .doesNotContain("room-stream-reader", "room-lease-keeper");
    }

    @Test
    void aMessageOnOneServerReachesClientsOfBothInOneOrder() throws IOException {
        ChatClient alice = join(a);
        ChatClient bob = join(b);
        expect(alice, "* guest-2 joined");

        alice.send("hello from A");
        bob.send("hello from B");
        List<String> seenByAlice = List.of(alice.receive(WAIT), alice.receive(WAIT));
        List<String> seenByBob = List.of(bob.receive(WAIT), bob.receive(WAIT));

        assertThat(seenByAlice).containsExactlyInAnyOrder("[guest-1] hello from A", "[guest-2] hello from B");
        assertThat(seenByBob).isEqualTo(seenByAlice);
    }

    @Test
    void namesAndWhoAreRoomWide() throws IOException {
        ChatClient alice = join(a);
        ChatClient bob = join(b);
        expect(alice, "* guest-2 joined");

        bob.send("!nick guest-1");
        expect(bob, "!error name taken: guest-1");
        bob.send("!nick Bob");
        expect(bob, "* guest-2 is now Bob");
        expect(alice, "* guest-2 is now Bob");
        alice.send("!nick BOB");
        expect(alice, "!error name taken: BOB");
        alice.send("!who"); // Redis keeps names in a hash: no order is promised across servers
        assertThat(alice.receive(WAIT)).isIn("!who guest-1,Bob", "!who Bob,guest-1");

        bob.disconnect();
        expect(alice, "* Bob left");
        alice.send("!nick bob");
        expect(alice, "* guest-1 is now bob");
    }

    @Test
    void commandsRepliesAndFaultsBehaveAsOnOneServer() throws IOException {
        ChatClient alice = join(a);
        ChatClient bob = join(b);
        ChatClient carol = join(b);
        expect(alice, "* guest-2 joined");
        expect(alice, "* guest-3 joined");
        expect(bob, "* guest-3 joined");

        bob.send("!ping 42");
        expect(bob, "!pong 42");
        bob.send("!frobnicate");
        expect(bob, "!error unknown command: frobnicate");
        carol.sendRaw("12x".getBytes(java.nio.charset.StandardCharsets.US_ASCII)); // a header with a letter in it
        carol.sendRaw(" ".repeat(61).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(carol.receive(WAIT)).startsWith("!error ");
        expect(alice, "* guest-3 left");
        expect(bob, "* guest-3 left");

        alice.send("still here");
        expect(bob, "[guest-1] still here"); // the replies above went to bob alone
        expect(alice, "[guest-1] still here");
        alice.disconnect();
        expect(bob, "* guest-1 left");
    }

    @Test
    void nickRaceAcrossServersHasExactlyOneWinner() throws Exception {
        List<ChatClient> racers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            racers.add(join(i % 2 == 0 ? a : b));
        }
        for (ChatClient racer : racers) {
            racer.send("!nick winner");
        }
        int refused = 0;
        List<String> renames = new ArrayList<>();
        for (ChatClient racer : racers) {
            racer.send("!ping done"); // its reply comes after the racer's own !nick reply
            for (String frame = racer.receive(WAIT); !frame.equals("!pong done"); frame = racer.receive(WAIT)) {
                if (frame.equals("!error name taken: winner")) {
                    refused++;
                } else if (frame.endsWith(" is now winner")) {
                    renames.add(frame);
                }
            }
        }
        assertThat(refused).isEqualTo(racers.size() - 1);
        assertThat(renames).hasSize(racers.size()).containsOnly(renames.get(0));
    }

    @Test
    void twentyClientsOnEachServerAllSeeOneSequence() throws Exception {
        int perServer = 20;
        int messages = 10;
        List<ChatClient> everyone = new ArrayList<>();
        for (int i = 0; i < 2 * perServer; i++) {
            everyone.add(join(i % 2 == 0 ? a : b));
        }
        // Join notices would make each client's stream start at a different point; wait them out.
        for (int i = 0; i < everyone.size(); i++) {
            for (int later = i + 1; later < everyone.size(); later++) {
                expect(everyone.get(i), "* guest-" + (later + 1) + " joined");
            }
        }
        try (ExecutorService senders = Executors.newFixedThreadPool(everyone.size())) {
            List<Future<?>> sent = new ArrayList<>();
            for (ChatClient client : everyone) {
                sent.add(senders.submit(() -> {
                    for (int m = 0; m < messages; m++) {
                        client.send("m" + m);
                    }
                    return null;
                }));
            }
            for (Future<?> future : sent) {
                future.get();
            }
        }
        List<String> first = null;
        for (ChatClient client : everyone) {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < everyone.size() * messages; i++) {
                seen.add(client.receive(WAIT));
            }
            if (first == null) {
                first = seen;
            }
            assertThat(seen).isEqualTo(first);
        }
        for (int sender = 1; sender <= everyone.size(); sender++) {
            String prefix = "[guest-" + sender + "] ";
            assertThat(first.stream().filter(frame -> frame.startsWith(prefix)).toList())
                    .containsExactly(java.util.stream.IntStream.range(0, messages)
                            .mapToObj(m -> prefix + "m" + m).toArray(String[]::new));
        }
    }

    private ChatClient join(ChatServer server) throws IOException {
        ChatClient client = ClusterClients.join(server.address());
        clients.add(client);
        return client;
    }
}

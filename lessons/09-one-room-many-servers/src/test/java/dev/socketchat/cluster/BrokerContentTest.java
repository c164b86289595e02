package dev.socketchat.cluster;

import dev.socketchat.client.ChatClient;
import dev.socketchat.nio.NioSelectorModel;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerOptions;
import dev.socketchat.threadperclient.ThreadPerClientModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.socketchat.cluster.ClusterClients.WAIT;
import static dev.socketchat.cluster.ClusterClients.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What anyone who reaches Redis can put into the room's keys: entries no server wrote, a key of
 * another type, and messages large enough to fill Redis. Two servers of different models share one
 * real Redis; their consoles are quiet, as under {@code --quiet}, and captured.
 */
class BrokerContentTest {

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis();
    private static int rooms;

    private final ByteArrayOutputStream consoleA = new ByteArrayOutputStream();
    private final ByteArrayOutputStream consoleB = new ByteArrayOutputStream();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private String room;
    private JedisPooled jedis;
    private ChatServer a;
    private ChatServer b;
    private ChatClient alice;
    private ChatClient bob;

    @AfterEach
    void stopServers() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
    }

    @Test
    void entriesNoServerWroteAreSkippedCountedAndNamedAndTheRoomGoesOn() throws Exception {
        startRoom("");

        StreamEntryID garbage = jedis.xadd(room + ":stream", XAddParams.xAddParams(), Map.of("garbage", "x"));
        StreamEntryID notANumber = jedis.xadd(room + ":stream", XAddParams.xAddParams(),
                Map.of("k", "SAID", "s", "elsewhere", "m", "1", "n", "mallory", "d", "hi", "o", "notanumber"));
        alice.send("after");
        expect(alice, "[guest-1] after");
        expect(bob, "[guest-1] after");
        ChatClient carol = join(b); // newcomers are still welcomed
        expect(alice, "* guest-3 joined");

        for (ByteArrayOutputStream console : List.of(consoleA, consoleB)) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(lines(console))
                    .contains("[error] skipped stream entry " + garbage + " (no field k): 1 skipped so far")
                    .anySatisfy(line -> assertThat(line).endsWith("2 skipped so far")));
            // The second was within a second of the first: counted, and its line waits for the second's end.
            assertThat(lines(console)).noneMatch(line -> line.contains(notANumber.toString())).hasSize(2);
        }
        carol.send("!ping");
        expect(carol, "!pong");
    }

    /**
     * Random entries, with a fixed seed so that a failure replays: random field names (the script's
     * own among them) with random values (valid kinds, names and numbers among them). Some are valid
     * and reach the clients as frames; none may stop the room.
     */
    @Test
    void aFuzzOfRandomEntriesNeverSilencesTheRoom() throws Exception {
        startRoom("");

        Random random = new Random(24);
        String[] names = {"k", "s", "m", "n", "d", "o", "q", "x", "K", ""};
        String[] values = {"JOINED", "SAID", "RENAMED", "LEFT", "MISSED", "UNAVAILABLE", "", "0", "-1", "1", "7",
                "99999999999999999999", "1e3", "notanumber", "guest-1", "mallory", "bad name", "\u0000\n\u001b[2J"};
        long started = System.nanoTime();
        for (int i = 0; i < 500; i++) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (int f = 1 + random.nextInt(8); f > 0; f--) {
                String value = random.nextInt(4) == 0 ? randomText(random) : values[random.nextInt(values.length)];
                fields.put(names[random.nextInt(names.length)], value);
            }
            jedis.xadd(room + ":stream", XAddParams.xAddParams(), fields);
        }
        alice.send("after the fuzz");
        receiveUntil(alice, "[guest-1] after the fuzz");
        receiveUntil(bob, "[guest-1] after the fuzz");
        join(a);

        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        await().atMost(WAIT).untilAsserted(() -> assertThat(lines(consoleA)).isNotEmpty());
        // At most one line a second about skipped entries, however many there are.
        assertThat(lines(consoleA).stream().filter(line -> line.contains("skipped"))).hasSizeLessThanOrEqualTo((int) seconds + 2);
    }

    @Test
    void aKeyOfAnotherTypeIsOneLineAndOneNoticeUntilItIsAStreamAgain() throws Exception {
        startRoom("");

        jedis.del(room + ":stream");
        jedis.set(room + ":stream", "x");
        String unavailable = "* room unavailable (" + room + ":stream is not a stream)";
        expect(alice, unavailable);
        expect(bob, unavailable);
        alice.send("while it is a string");
        expect(alice, "!error room unavailable");
        // The readers retry with a growing pause; over two seconds of retries nothing more is said.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                lines(consoleA).size() == 1 && lines(consoleB).size() == 1);
        assertThat(lines(consoleA).get(0)).startsWith("[error] Redis at 127.0.0.1:" + redis.port() + " holds "
                + room + ":stream as another type than a stream");
        alice.send("!ping");
        expect(alice, "!pong"); // no second notice came before it

        jedis.del(room + ":stream");
        expect(alice, "* room available again");
        expect(bob, "* room available again");
        alice.send("fixed");
        expect(alice, "[guest-1] fixed");
        expect(bob, "[guest-1] fixed");
    }

    /**
     * Messages of about 1 MiB, 24 of them, into a room whose budget is 4 MiB: the stream keeps no
     * more than the budget, and Redis grows by less than twice the budget rather than by what was sent.
     */
    @Test
    void largeMessagesKeepTheStreamWithinItsByteBudget() throws Exception {
        long budget = 4L << 20;
        startRoom("&budget=4MiB");
        long before = usedMemory();

        String large = "x".repeat(1_000_000);
        for (int i = 0; i < 24; i++) {
            alice.send(large);
            expect(alice, "[guest-1] " + large);
            expect(bob, "[guest-1] " + large);
        }

        assertThat(Long.parseLong(jedis.get(room + ":bytes"))).isLessThanOrEqualTo(budget);
        assertThat(jedis.xlen(room + ":stream")).isBetween(2L, 4L);
        assertThat(usedMemory() - before).isLessThan(2 * budget);
    }

    private long usedMemory() {
        return jedis.info("memory").lines().filter(line -> line.startsWith("used_memory:"))
                .map(line -> Long.parseLong(line.substring("used_memory:".length()).trim())).findFirst().orElseThrow();
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            text.append((char) random.nextInt(0x80));
        }
        return text.toString();
    }

    /** Two servers of different models on a room of the test's own, alice on one and bob on the other. */
    private void startRoom(String parameters) throws IOException {
        room = "content" + ++rooms;
        jedis = new JedisPooled("127.0.0.1", redis.port());
        opened.add(jedis);
        ServerOptions options = ServerOptions.defaults().withPort(0)
                .withCluster(redis.uri() + "?lease=1s&room=" + room + parameters);
        a = new ThreadPerClientModel().create(options, console(consoleA, "thread-per-client"));
        b = new NioSelectorModel().create(options, console(consoleB, "nio-selector"));
        a.start();
        opened.add(a);
        b.start();
        opened.add(b);
        alice = join(a);
        bob = join(b);
        expect(alice, "* guest-2 joined");
    }

    private static ServerConsole console(ByteArrayOutputStream into, String model) {
        return new ServerConsole(new PrintStream(into, true, StandardCharsets.UTF_8), true, model);
    }

    /** The lines printed after the start lines, which the quiet console prints too. */
    private static List<String> lines(ByteArrayOutputStream console) {
        return console.toString(StandardCharsets.UTF_8).lines().filter(line -> !line.contains(" listening on ")).toList();
    }

    private ChatClient join(ChatServer server) throws IOException {
        ChatClient client = ClusterClients.join(server.address());
        opened.add(client);
        return client;
    }

    private static void receiveUntil(ChatClient client, String frame) throws IOException {
        String received;
        do {
            received = client.receive(WAIT);
            assertThat(received).as("the connection is still open").isNotNull();
        } while (!received.equals(frame));
    }
}

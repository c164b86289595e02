package dev.socketchat.contract;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/protocol.md §7, a fair share under abuse: one address cannot take every seat, and one client
 * sending as fast as it can is held back to its rate, told once, and not disconnected for it.
 */
final class FairShareChecks {

    static final String TOO_MANY = "!error too many connections from your address";
    static final String SLOW_DOWN = "!error slow down";
    private static final String SERVER_FULL_PREFIX = "!error server full";

    /** The attack of issue 26: this many idle connections from one address. */
    static final int IDLE_FROM_ONE_ADDRESS = 10_000;
    /** Threads that open those connections, each waiting for its refusals one by one. */
    private static final int CONNECTORS = 4;

    /** A small share, so that the concurrent check races many more connections than it admits. */
    static final int SHARE = 5;
    /** Connections racing for {@link #SHARE} seats, all opened at once from one address. */
    private static final int RACERS = 40;

    /**
     * A rate that makes the check take a second and a half, and a burst that grows back in 200 ms:
     * only a stall of the server that long ends the hold (and brings a second warning).
     */
    static final int RATE = 100;
    static final int BURST = 20;
    /** Flood frames of a kilobyte: a read of the flood brings several whole frames at once. */
    private static final int FLOOD_PAYLOAD = 1_000;
    /** Relays the check waits for: well past the burst, so that the rate must show. */
    private static final int RELAYS = 150;
    /** About 20 MiB: more than loopback's socket buffers on both ends hold, so TCP must push back. */
    private static final int FLOOD_FRAMES = 20_000;

    private FairShareChecks() {
    }

    /**
     * 10,000 connections from 127.0.0.1 that never send anything: the first {@code share} are
     * welcomed and stay, idle; every one after them is told so and closed, and a client from
     * 127.0.0.2 is welcomed. Each refused connection is closed here once its refusal has arrived, as
     * the server would close it a second later anyway: 10,000 lingering connections on both ends
     * would pass the descriptors this one JVM may hold. They come from {@value #CONNECTORS} threads at
     * once: one would leave the server idle while each refusal travels back, and the attack of
     * issue 26 does not wait for answers either.
     */
    static void idleConnectionsFromOneAddressLeaveOthersASeat(ServerUnderTest server) throws Exception {
        int share = server.options().maxClientsPerAddress();
        List<TestClient> idle = new ArrayList<>(share);
        try {
            for (int i = 0; i < share; i++) {
                idle.add(TestClient.join(server));
            }
            try (ExecutorService connectors = Executors.newFixedThreadPool(CONNECTORS)) {
                List<Future<Void>> refusals = new ArrayList<>();
                for (int connector = 0; connector < CONNECTORS; connector++) {
                    int first = share + connector;
                    refusals.add(connectors.submit(() -> {
                        for (int i = first; i < IDLE_FROM_ONE_ADDRESS; i += CONNECTORS) {
                            isRefused(server, i + 1);
                        }
                        return null;
                    }));
                }
                OrderChecks.results(refusals);
            }
            await().atMost(TestClient.WAIT).until(() -> {
                try (TestClient past = TestClient.connect(server, "one more from 127.0.0.1")) {
                    return past.next().equals(TOO_MANY);
                }
            });
            try (TestClient other = TestClient.join(server, boundTo("127.0.0.2"))) {
                other.send("a seat for me");
                other.expect(other.says("a seat for me"));
            }
        } finally {
            for (TestClient client : idle) {
                client.close();
            }
        }
    }

    private static void isRefused(ServerUnderTest server, int connection) throws IOException {
        try (TestClient refused = TestClient.connect(server, "connection " + connection + " from 127.0.0.1")) {
            // A model with a limit of its own (a pool) may refuse first, while refused
            // connections still hold its threads.
            assertThat(refused.next()).as("the answer to connection %d from 127.0.0.1", connection)
                    .matches(frame -> frame.equals(TOO_MANY) || frame.startsWith(SERVER_FULL_PREFIX));
        }
    }

    /**
     * {@value #RACERS} connections from one address at once, on as many threads, for a share of
     * {@value #SHARE}: exactly the share is welcomed and every other one refused, however the accepts
     * interleave. A seat given back is taken again, and another address is admitted meanwhile.
     */
    static void concurrentAcceptsAreCountedExactly(ServerUnderTest server) throws Exception {
        List<TestClient> clients = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(RACERS)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<TestClient>> racing = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                int racer = i;
                racing.add(threads.submit(() -> {
                    start.await();
                    return TestClient.connect(server, "racer " + racer);
                }));
            }
            start.countDown();
            List<TestClient> welcomed = new ArrayList<>();
            int refused = 0;
            for (Future<TestClient> future : racing) {
                TestClient client = future.get();
                clients.add(client);
                String first = client.next();
                if (first.startsWith("* welcome ")) {
                    welcomed.add(client);
                } else {
                    assertThat(first).as("the first frame of a connection past the share").isEqualTo(TOO_MANY);
                    assertThat(client.expectClosedAfterAnyFrames()).as("frames after the refusal").isZero();
                    refused++;
                }
            }
            assertThat(welcomed).as("connections welcomed from one address").hasSize(SHARE);
            assertThat(refused).isEqualTo(RACERS - SHARE);

            try (TestClient other = TestClient.join(server, boundTo("127.0.0.3"))) {
                assertThat(other.name()).as("a client from another address is welcomed").isNotEmpty();
            }
            welcomed.getFirst().send("!Disconnect");
            welcomed.getFirst().expectClosedAfterAnyFrames();
            // The seat is given back once the room has removed the leaver, just after its stream ends.
            await().atMost(TestClient.WAIT).until(() -> {
                TestClient client = TestClient.connect(server, "after a leave");
                clients.add(client);
                return client.next().startsWith("* welcome ");
            });
        } finally {
            for (TestClient client : clients) {
                client.close();
            }
        }
    }

    /**
     * A client sends kilobyte frames without pause, and reads its own copies as they come back
     * (docs/protocol.md §5), so that one client shows it on every model. With a rate of
     * {@value #RATE}/s and a burst of {@value #BURST}, its {@value #RELAYS}th copy cannot come before
     * the tokens for it have grown back; a server that read the flood as it came would relay all of
     * it in a fraction of that. It is told {@code !error slow down} once, and it is not disconnected:
     * its writes are held back by TCP while its copies keep coming.
     */
    static void aFlooderIsHeldToItsRateAndToldOnce(ServerUnderTest server) throws Exception {
        try (TestClient flooder = TestClient.join(server);
             ExecutorService writer = Executors.newSingleThreadExecutor()) {
            byte[] frame = RawFrames.frame("f".repeat(FLOOD_PAYLOAD));
            String relay = flooder.says("f".repeat(FLOOD_PAYLOAD));
            long start = System.nanoTime();
            Future<?> flood = writer.submit(() -> {
                try {
                    OutputStream out = flooder.socket().getOutputStream();
                    for (int i = 0; i < FLOOD_FRAMES; i++) {
                        out.write(frame);
                    }
                } catch (IOException closed) {
                    // The check closed the flooder: the flood is over.
                }
            });
            int relayed = 0;
            int warnings = 0;
            while (relayed < RELAYS) {
                String received = flooder.next();
                if (received.equals(relay)) {
                    relayed++;
                } else if (received.equals(SLOW_DOWN)) {
                    warnings++;
                } else {
                    throw new AssertionError("the flooder received \"" + TestClient.abbreviate(received) + "\"");
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            Duration earliest = Duration.ofMillis(1000L * (RELAYS - BURST - 1) / RATE);
            assertThat(took).as("time until %d flood frames were relayed at %d/s with a burst of %d",
                    RELAYS, RATE, BURST).isGreaterThanOrEqualTo(earliest);
            assertThat(warnings).as("\"%s\" among the first %d relays", SLOW_DOWN, RELAYS).isEqualTo(1);
            assertThat(flood.isDone()).as("the flooder's writes are held back by TCP").isFalse();
            flooder.socket().close(); // ends the flood
        }
    }

    /** An unconnected socket that will connect from {@code address}, another loopback address. */
    static Socket boundTo(String address) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        return socket;
    }
}

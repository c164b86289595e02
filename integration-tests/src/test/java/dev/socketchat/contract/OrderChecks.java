package dev.socketchat.contract;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/protocol.md §6 and the load the protocol must carry: one total order that every client sees,
 * each sender's messages in the order it sent them, and every message delivered to every client.
 */
final class OrderChecks {

    static final int ORDER_CLIENTS = 40;
    static final int LOAD_CLIENTS = 500;

    private static final int MESSAGES_PER_SENDER = 10;
    private static final int LOAD_SENDERS = 25;
    private static final int LOAD_MESSAGES_PER_SENDER = 2;

    private OrderChecks() {
    }

    /** Every client sends at once, released together by a latch, and reads everything everyone sent. */
    static void concurrentSendersAllSeeOneOrder(ServerUnderTest server) throws Exception {
        int total = ORDER_CLIENTS * MESSAGES_PER_SENDER;
        try (Room room = new Room(server)) {
            List<TestClient> clients = room.join(ORDER_CLIENTS);
            CountDownLatch go = new CountDownLatch(1);
            List<List<String>> seen;
            try (ExecutorService threads = Executors.newFixedThreadPool(ORDER_CLIENTS)) {
                List<Future<List<String>>> futures = new ArrayList<>();
                for (TestClient client : clients) {
                    futures.add(threads.submit(() -> {
                        go.await();
                        for (int i = 0; i < MESSAGES_PER_SENDER; i++) {
                            client.send("message " + i);
                        }
                        return receive(client, total);
                    }));
                }
                go.countDown();
                seen = results(futures);
            }
            List<String> reference = seen.get(0);
            assertThat(reference).as("what %s received", clients.get(0)).hasSize(total).doesNotHaveDuplicates();
            for (int i = 1; i < clients.size(); i++) {
                assertSameSequence(clients.get(0), reference, clients.get(i), seen.get(i));
            }
            for (TestClient sender : clients) {
                List<String> own = reference.stream().filter(frame -> frame.startsWith(sender.says(""))).toList();
                List<String> sent = new ArrayList<>();
                for (int i = 0; i < MESSAGES_PER_SENDER; i++) {
                    sent.add(sender.says("message " + i));
                }
                assertThat(own).as("%s's messages, in the order everyone received them", sender)
                        .containsExactlyElementsOf(sent);
            }
        }
    }

    /** Many clients connected at once; a few of them talk, and every client receives every message. */
    static void everyMessageReachesEveryOneOfManyClients(ServerUnderTest server) throws Exception {
        int total = LOAD_SENDERS * LOAD_MESSAGES_PER_SENDER;
        try (Room room = new Room(server)) {
            List<TestClient> clients = room.join(LOAD_CLIENTS);
            List<String> expected = new ArrayList<>();
            List<List<String>> seen;
            // Virtual threads: one blocked reader per client, without hundreds of platform threads.
            try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<List<String>>> futures = new ArrayList<>();
                for (TestClient client : clients) {
                    futures.add(readers.submit(() -> receive(client, total)));
                }
                for (int i = 0; i < LOAD_MESSAGES_PER_SENDER; i++) {
                    for (TestClient sender : clients.subList(0, LOAD_SENDERS)) {
                        sender.send("load " + i);
                        expected.add(sender.says("load " + i));
                    }
                }
                seen = results(futures);
            }
            for (int i = 0; i < clients.size(); i++) {
                assertThat(seen.get(i)).as("the messages %s received", clients.get(i))
                        .containsExactlyInAnyOrderElementsOf(expected);
            }
        }
    }

    private static List<String> receive(TestClient client, int count) throws IOException {
        List<String> frames = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            frames.add(client.next());
        }
        return frames;
    }

    /** Waits for every task; a failed one fails the check with its own message. */
    static <T> List<T> results(List<Future<T>> futures) throws Exception {
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            try {
                // Each read inside is bounded by TestClient.WAIT; this bound only guards against a bug here.
                results.add(future.get(5, TimeUnit.MINUTES));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw (Exception) e.getCause();
            } catch (TimeoutException e) {
                throw new AssertionError("a client was still receiving after 5 minutes", e);
            }
        }
        return results;
    }

    private static void assertSameSequence(TestClient first, List<String> reference, TestClient other,
                                           List<String> sequence) {
        for (int i = 0; i < Math.min(reference.size(), sequence.size()); i++) {
            if (!reference.get(i).equals(sequence.get(i))) {
                throw new AssertionError("frame " + i + " differs: " + first + " received \"" + reference.get(i)
                        + "\" but " + other + " received \"" + sequence.get(i) + "\"");
            }
        }
        assertThat(sequence).as("what %s received", other).hasSameSizeAs(reference);
    }
}

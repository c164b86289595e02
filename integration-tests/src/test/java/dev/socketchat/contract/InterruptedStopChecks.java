package dev.socketchat.contract;

import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/protocol.md §8 when {@code stop()} is called from a thread whose interrupt flag is already set,
 * as a shutdown hook or a cancelled task may be: the shutdown is the same. A server that waits for
 * its threads with a plain {@code join} or {@code await} sees each one throw at once, and returns
 * with connection threads still running and queued frames cut off before the grace period.
 *
 * <p>With a second client, the check makes the wait unavoidable, so that a server skipping it fails
 * every time rather than when a race goes its way: that client stops reading while the server still
 * owes it far more than the loopback socket buffers hold, so its frames are still queued when
 * {@code stop()} begins, and the grace period is theirs. With one client (all that lesson 01 serves),
 * it checks what it can: the notice arrives, and no thread is left when {@code stop()} returns.
 */
final class InterruptedStopChecks {

    static final Duration GRACE = Duration.ofSeconds(1);
    /** Enough to keep a stalled client's writer blocked: 8 MiB, twice the largest loopback send buffer. */
    static final long OUTBOUND_LIMIT = 32L * 1024 * 1024;
    private static final int MESSAGE_BYTES = 64 * 1024;
    private static final int MESSAGES = 128;
    private static final int SMALL_RECEIVE_BUFFER = 4096;
    /** Timer granularity between the server's clock and this one. */
    private static final Duration TOLERANCE = Duration.ofMillis(50);

    private InterruptedStopChecks() {
    }

    /** What the stopping thread saw when {@code stop()} returned. */
    private record Stopped(Duration took, Set<String> threadsLeft, boolean stillInterrupted) {
    }

    /** One client, reading: it gets the notice and the end of stream, and no thread outlives stop(). */
    static void stopFromAnInterruptedThreadLeavesNoThread(ServerUnderTest server) throws Exception {
        stopFromAnInterruptedThread(server, false);
    }

    /** The same, beside a client the server still owes 8 MiB: stop() must give it the grace period. */
    static void stopFromAnInterruptedThreadStillWaitsForQueuedFrames(ServerUnderTest server) throws Exception {
        stopFromAnInterruptedThread(server, true);
    }

    private static void stopFromAnInterruptedThread(ServerUnderTest server, boolean withStalledClient)
            throws Exception {
        try (Room room = new Room(server)) {
            TestClient reading = room.join();
            if (withStalledClient) {
                Socket small = new Socket();
                small.setReceiveBufferSize(SMALL_RECEIVE_BUFFER);
                room.join(small);
                // From here on the second client reads nothing: its frames pile up in the server.
                String filler = "b".repeat(MESSAGE_BYTES);
                for (int i = 0; i < MESSAGES; i++) {
                    reading.send(filler);
                    reading.expect(reading.says(filler));
                }
            }

            CompletableFuture<Stopped> stopped = new CompletableFuture<>();
            Thread.ofPlatform().name("test: stop from an interrupted thread").start(() -> {
                Thread.currentThread().interrupt();
                long start = System.nanoTime();
                try {
                    Set<String> left = server.stopAndNameThreadsLeft();
                    stopped.complete(new Stopped(Duration.ofNanos(System.nanoTime() - start), left,
                            Thread.currentThread().isInterrupted()));
                } catch (RuntimeException | Error e) {
                    stopped.completeExceptionally(e);
                }
            });
            reading.expect("* server shutting down");
            reading.expectEndOfStream();

            Stopped result = stopped.get(GRACE.plus(TestClient.patience()).toMillis(), TimeUnit.MILLISECONDS);
            assertThat(result.threadsLeft())
                    .as("threads of the server still running when stop() returned").isEmpty();
            if (withStalledClient) {
                assertThat(result.took())
                        .as("stop() gave the client that had not read its frames the grace period of %s", GRACE)
                        .isGreaterThanOrEqualTo(GRACE.minus(TOLERANCE));
            }
            assertThat(result.stillInterrupted())
                    .as("the caller's interrupt flag is still set when stop() returns").isTrue();
        }
    }
}

package dev.socketchat.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static dev.socketchat.contract.RawFrames.frame;
import static dev.socketchat.contract.Room.eachExpects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/protocol.md §7, the limits with a fixed answer: the frame timeout (the slowloris defence), the
 * idle timeout, and the maximum number of clients. The suite runs these with short settings.
 */
final class LimitChecks {

    static final Duration FRAME_TIMEOUT = Duration.ofMillis(300);
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(1);
    static final int MAX_CLIENTS = 2;

    /** Keepalives go out ten times per idle timeout, a wide margin on a loaded machine. */
    private static final Duration KEEPALIVE_PERIOD = IDLE_TIMEOUT.dividedBy(10);

    /** How long a model may take to free the slot of a client that has left. */
    private static final Duration SLOT_PATIENCE = Duration.ofSeconds(15);

    private LimitChecks() {
    }

    /**
     * A frame stalled in its header, then one stalled in its payload: each is answered and closed.
     *
     * <p>The room announces a leave once it has closed the leaver's outbox, outside its lock
     * ({@code ChatRoom.remove}), so the second client, which connects as soon as the first one's
     * connection has ended, may join just before that announcement and hear it first: in the room's
     * order its join came before the first one's leave, and both are right.
     */
    static void unfinishedFrameTimesOut(ServerUnderTest server) throws IOException {
        byte[] frame = frame("never finished");
        String previous = null;
        for (int sent : new int[] {20, frame.length - 5}) {
            try (TestClient stalled = TestClient.join(server)) {
                stalled.sendRaw(Arrays.copyOf(frame, sent));
                try {
                    String answer = stalled.next();
                    if (answer.equals("* " + previous + " left")) {
                        answer = stalled.next();
                    }
                    assertThat(answer).as("the answer to the stalled frame").isEqualTo("!error frame timeout");
                } catch (AssertionError e) {
                    throw new AssertionError("stalled after " + sent + " of " + frame.length + " bytes: "
                            + e.getMessage(), e);
                }
                assertThat(stalled.expectClosedAfterAnyFrames()).as("frames after the !error").isZero();
                previous = stalled.name();
            }
        }
        FaultChecks.nextClientIsServed(server);
    }

    static void silentClientTimesOut(ServerUnderTest server) throws IOException {
        try (TestClient silent = TestClient.join(server)) {
            silent.expect("!error idle timeout");
            assertThat(silent.expectClosedAfterAnyFrames()).as("frames after the !error").isZero();
        }
        FaultChecks.nextClientIsServed(server);
    }

    /**
     * A lone client that sends nothing but keepalives is still served after three idle timeouts. The
     * keepalives themselves count the time: the check waits until they span three timeouts.
     */
    static void keepalivesKeepALoneClientPastSeveralIdleTimeouts(ServerUnderTest server)
            throws IOException, InterruptedException {
        try (TestClient kept = TestClient.join(server)) {
            long start = System.nanoTime();
            CountDownLatch spanned = new CountDownLatch(1);
            try (ScheduledExecutorService keepalives = Executors.newSingleThreadScheduledExecutor()) {
                keepalives.scheduleAtFixedRate(() -> {
                    try {
                        kept.sendRaw(frame(""));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    if (System.nanoTime() - start > 3 * IDLE_TIMEOUT.toNanos()) {
                        spanned.countDown();
                    }
                }, 0, KEEPALIVE_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(spanned.await(30, TimeUnit.SECONDS))
                        .as("keepalives sent over three idle timeouts without failing").isTrue();
            }
            kept.send("!ping still here");
            kept.expect("!pong still here");
        }
    }

    /** A client sending only keepalives outlives a silent one that joined after it. */
    static void keepalivesKeepAClientPastTheIdleTimeout(ServerUnderTest server) throws IOException {
        try (Room room = new Room(server)) {
            TestClient kept = room.join();
            TestClient silent = room.join();
            try (ScheduledExecutorService keepalives = Executors.newSingleThreadScheduledExecutor()) {
                keepalives.scheduleAtFixedRate(() -> {
                    try {
                        kept.sendRaw(frame(""));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, 0, KEEPALIVE_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
                silent.expect("!error idle timeout");
                assertThat(silent.expectClosedAfterAnyFrames()).as("frames after the !error").isZero();
            }
            room.forget(silent);
            if (server.options().notices()) {
                kept.expect("* " + silent.name() + " left");
            }
            kept.send("!ping still here");
            kept.expect("!pong still here");
        }
    }

    /** The client over max clients is told at once and closed; a slot that frees up can be taken again. */
    static void clientOverTheLimitIsRefusedAtOnce(ServerUnderTest server) throws IOException {
        clientOverTheLimitIsRefusedAtOnce(server, refused -> refused.expect("!error server full"), false);
    }

    /**
     * The same at the limit of the model itself, for example a full pool: the refusal may go on to
     * say which limit was reached ({@code !error server full: all 4 threads in use}), and the slot
     * of a client that left frees up once the server has finished closing its connection, a moment
     * after the client saw end of stream.
     */
    static void clientOverTheModelsLimitIsRefusedAtOnce(ServerUnderTest server) throws IOException {
        clientOverTheLimitIsRefusedAtOnce(server, refused -> refused.expectStartingWith("!error server full"), true);
    }

    /** How the client over the limit must be told. */
    @FunctionalInterface
    private interface Refusal {
        void expectIn(TestClient refused) throws IOException;
    }

    /**
     * Two clients fill the server; the third is refused at once, and a slot that frees up is taken
     * again: by the next client at once, or, if {@code slotFreesLater}, by one of the next tries.
     */
    private static void clientOverTheLimitIsRefusedAtOnce(ServerUnderTest server, Refusal refusal,
                                                          boolean slotFreesLater) throws IOException {
        try (Room room = new Room(server)) {
            TestClient leaver = room.join();
            TestClient stayer = room.join();
            try (TestClient refused = TestClient.connect(server, "the client over the limit")) {
                refusal.expectIn(refused);
                assertThat(refused.expectClosedAfterAnyFrames()).as("frames after the !error").isZero();
            }
            stayer.send("nobody noticed");
            eachExpects(stayer.says("nobody noticed"), leaver, stayer);

            leaver.send("!Disconnect");
            leaver.expectEndOfStream();
            room.forget(leaver);
            if (server.options().notices()) {
                stayer.expect("* " + leaver.name() + " left");
            }
            TestClient newcomer = slotFreesLater ? joinOnceASlotIsFree(room) : room.join();
            newcomer.send("in the free slot");
            eachExpects(newcomer.says("in the free slot"), stayer, newcomer);
        }
    }

    /** Tries to join until the server has a slot again; each refused try is closed. */
    private static TestClient joinOnceASlotIsFree(Room room) {
        return await("a newcomer served once the leaver's slot is free").atMost(SLOT_PATIENCE)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    try {
                        return room.join();
                    } catch (IOException | AssertionError stillFull) {
                        return null;
                    }
                }, Objects::nonNull);
    }
}

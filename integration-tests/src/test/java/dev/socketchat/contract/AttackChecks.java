package dev.socketchat.contract;

import dev.socketchat.server.Sockets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.socketchat.contract.RawFrames.frame;
import static dev.socketchat.contract.Room.eachExpects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/protocol.md §7, held against clients that bend the rules without breaking them: a connection
 * that has left the room but keeps sending, and a flood of connections that are refused and keep
 * sending anyway. Neither may make the server hold more than its limits say.
 */
final class AttackChecks {

    /** The grace period these checks run with: short, so that a deadline that holds is seen soon. */
    static final Duration GRACE = Duration.ofSeconds(1);
    /** Max clients for the flood. */
    static final int FLOOD_MAX_CLIENTS = 10;
    /** Connections in the flood: ten times what the room admits, far beyond the connection budget. */
    private static final int FLOOD = 10 * FLOOD_MAX_CLIENTS;
    /** How often a trickling client sends its keepalive: more often than any per-read timeout. */
    private static final Duration TRICKLE = Duration.ofMillis(100);
    /** What a loaded machine may add to a deadline before the check calls it missed. */
    private static final Duration SLACK = Duration.ofSeconds(1);

    private AttackChecks() {
    }

    /**
     * A client sends {@code !Disconnect}, reads everything up to the end of the stream, and then goes
     * on sending a keepalive every {@link #TRICKLE}. The server must close the connection within the
     * grace period plus {@link Sockets#LINGER} from the leave: a timeout per read would keep it forever.
     */
    static void leaverThatKeepsSendingIsClosedWithinTheLinger(ServerUnderTest server) throws Exception {
        Duration deadline = server.options().grace().plus(Sockets.LINGER);
        try (Room room = new Room(server); ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor()) {
            TestClient leaver = room.join();
            leaver.send("!Disconnect");
            long left = System.nanoTime();
            leaver.expectEndOfStream();
            CompletableFuture<Long> closed = new CompletableFuture<>();
            trickle.scheduleAtFixedRate(() -> {
                try {
                    leaver.sendRaw(frame(""));
                } catch (IOException e) {
                    // A write after the server's close draws a reset: the connection is gone.
                    closed.complete(System.nanoTime() - left);
                }
            }, 0, TRICKLE.toMillis(), TimeUnit.MILLISECONDS);
            long closedAfter;
            try {
                closedAfter = closed.get(deadline.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("a client that left and kept sending keepalives was still connected "
                        + deadline.plus(SLACK).toMillis() + " ms after it left (grace " + server.options().grace()
                        + " + linger " + Sockets.LINGER + ")");
            }
            // The write that notices the close comes up to one trickle period after it.
            assertThat(Duration.ofNanos(closedAfter)).as("closed after the leave")
                    .isLessThanOrEqualTo(deadline.plus(TRICKLE).plus(SLACK));
            room.forget(leaver);
        }
    }

    /**
     * With {@link #FLOOD_MAX_CLIENTS} members in the room, {@link #FLOOD} more clients connect as fast
     * as they can, each is refused, and each keeps sending keepalives and never closes. At no time
     * may the server hold more connections than its budget of twice max clients (plus the one it is
     * accepting at that instant); the members chat on, and once one leaves, a newcomer is welcomed.
     */
    static void refusedFloodNeverHoldsMoreThanTheBudget(ServerUnderTest server) throws Exception {
        int bound = server.options().connectionBudget() + 1;
        HeldConnections held = HeldConnections.onPort(server.address().getPort());
        AtomicInteger mostHeld = new AtomicInteger();
        List<Socket> flood = new ArrayList<>();
        try (Room room = new Room(server);
             ScheduledExecutorService watch = Executors.newScheduledThreadPool(2)) {
            List<TestClient> members = room.join(FLOOD_MAX_CLIENTS);
            watch.scheduleWithFixedDelay(() -> mostHeld.accumulateAndGet(held.now(), Math::max),
                    0, 5, TimeUnit.MILLISECONDS);
            watch.scheduleWithFixedDelay(() -> trickle(flood), 0, TRICKLE.toMillis(), TimeUnit.MILLISECONDS);
            try {
                for (int i = 0; i < FLOOD; i++) {
                    Socket socket = new Socket();
                    socket.connect(server.address(), (int) TestClient.WAIT.toMillis());
                    socket.getOutputStream().write(frame(""));
                    synchronized (flood) {
                        flood.add(socket);
                    }
                }
                // Each flood connection has been answered, by a refusal or a close, once its input ends.
                for (Socket socket : List.copyOf(flood)) {
                    awaitEndOfInput(socket);
                }
            } finally {
                watch.shutdownNow();
            }
            assertThat(mostHeld.get())
                    .as("connections the server held at once during the flood (budget %d, plus the one being "
                            + "accepted)", server.options().connectionBudget())
                    .isLessThanOrEqualTo(bound);

            TestClient first = members.getFirst();
            first.send("still chatting");
            eachExpects(first.says("still chatting"), members.toArray(TestClient[]::new));
            TestClient leaver = members.getLast();
            leaver.send("!Disconnect");
            leaver.expectEndOfStream();
            room.forget(leaver);
            if (server.options().notices()) {
                eachExpects("* " + leaver.name() + " left", members.subList(0, members.size() - 1)
                        .toArray(TestClient[]::new));
            }
            // Flood connections may still linger and fill the budget for up to a second: try until in.
            TestClient newcomer = await("a newcomer welcomed after the flood").atMost(TestClient.WAIT)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        try {
                            return room.join();
                        } catch (IOException | AssertionError closedAtOnce) {
                            return null;
                        }
                    }, Objects::nonNull);
            newcomer.send("made it");
            newcomer.expect(newcomer.says("made it"));
        } finally {
            synchronized (flood) {
                flood.forEach(Sockets::closeQuietly);
            }
        }
    }

    /** One keepalive to each flood connection still open; a failed write means the server closed it. */
    private static void trickle(List<Socket> flood) {
        List<Socket> open;
        synchronized (flood) {
            open = List.copyOf(flood);
        }
        for (Socket socket : open) {
            if (socket.isClosed()) {
                continue;
            }
            try {
                OutputStream out = socket.getOutputStream();
                out.write(frame(""));
            } catch (IOException e) {
                Sockets.closeQuietly(socket);
            }
        }
    }

    /** Reads (and throws away) until the server ends the stream or resets the connection. */
    private static void awaitEndOfInput(Socket socket) throws IOException {
        try {
            socket.setSoTimeout((int) TestClient.WAIT.toMillis());
            InputStream in = socket.getInputStream();
            byte[] discard = new byte[256];
            while (in.read(discard) >= 0) {
                // The refusal, if the server sent one.
            }
        } catch (IOException e) {
            if (e instanceof SocketTimeoutException) {
                throw new AssertionError("a flood connection was neither refused nor closed within " + TestClient.WAIT);
            }
            // Reset, or closed by the trickle after a failed write: answered either way.
        }
    }
}

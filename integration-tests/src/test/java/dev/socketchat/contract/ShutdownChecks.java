package dev.socketchat.contract;

import dev.socketchat.server.Sockets;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * docs/protocol.md §8: on shutdown every client receives {@code * server shutting down} and then the
 * end of the stream, within the grace period, and the server accepts no one after. (That no thread
 * outlives the server is checked after every test, by {@link InProcessServer#close()}.)
 */
final class ShutdownChecks {

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    /** Clients that try to join during the shutdown under load. */
    static final int LOAD_CLIENTS = 1_000;
    /** Of those, how many send as fast as they can. */
    private static final int FLOODERS = 10;
    /** How many have connected when the server is told to stop: the rest are still joining. */
    private static final int CONNECTED_AT_STOP = 300;
    /** What stop() may take beyond the grace period. */
    static final Duration SHUTDOWN_MARGIN = Duration.ofSeconds(1);

    private ShutdownChecks() {
    }

    static void shutdownReachesEveryClient(ServerUnderTest server, int clients) throws Exception {
        Duration grace = server.options().grace();
        Thread stopper;
        Room room = new Room(server);
        try {
            List<TestClient> connected = room.join(clients);
            // stop() returns only when the server is done, and that needs the clients to read: it runs aside.
            stopper = Thread.ofPlatform().name("test: stop the server").start(server::stop);
            long deadline = System.nanoTime() + grace.toNanos();
            for (TestClient client : connected) {
                client.expect("* server shutting down");
                client.expectEndOfStream();
                assertThat(System.nanoTime() - deadline)
                        .as("%s received the end of stream after the grace period of %s", client, grace)
                        .isNegative();
            }
        } finally {
            // Clients hang up once they have everything, and stop() may wait for that.
            room.close();
        }
        assertThat(stopper.join(grace.plus(TestClient.WAIT)))
                .as("stop() returned within the grace period and a margin").isTrue();
        try (Socket late = new Socket()) {
            Throwable refused = catchThrowable(() -> late.connect(server.address(), CONNECT_TIMEOUT_MILLIS));
            if (!(refused instanceof ConnectException)) {
                throw new AssertionError("after stop(), connecting to " + server.address()
                        + (refused == null ? " still succeeded" : " failed with " + refused + " instead of a refusal"));
            }
        }
    }

    /**
     * docs/protocol.md §8 under load: {@value #LOAD_CLIENTS} clients connect as fast as two threads can
     * open them, none of them ever reads, {@value #FLOODERS} of them send messages without pause, and
     * the server is told to stop once {@value #CONNECTED_AT_STOP} are in, while the rest are still
     * joining. {@code stop()} must return within the grace period, counted from the call, plus
     * {@link #SHUTDOWN_MARGIN}: joins and messages that wait for the room must not hold it back.
     * (Clients that a model cannot serve are refused, which is load as well; a model that serves one
     * client at a time leaves the rest in its listen queue, where they cannot even finish connecting,
     * and is excused.)
     */
    static void shutdownUnderLoadEndsWithinTheGracePeriod(ServerUnderTest server) throws Exception {
        Duration grace = server.options().grace();
        List<Socket> sockets = new ArrayList<>();
        List<Thread> connectors = new ArrayList<>();
        List<Thread> flooders = new CopyOnWriteArrayList<>();
        CountDownLatch enoughConnected = new CountDownLatch(CONNECTED_AT_STOP);
        CountDownLatch floodersReady = new CountDownLatch(FLOODERS);
        try {
            for (int c = 0; c < 2; c++) {
                connectors.add(Thread.ofPlatform().name("test: connect").start(() -> {
                    for (int i = 0; i < LOAD_CLIENTS / 2; i++) {
                        Socket socket = new Socket();
                        synchronized (sockets) {
                            sockets.add(socket);
                        }
                        try {
                            socket.connect(server.address(), CONNECT_TIMEOUT_MILLIS);
                        } catch (IOException stopped) {
                            return; // The server no longer listens: the rest would be refused too.
                        }
                        if (floodersReady.getCount() > 0) {
                            floodersReady.countDown();
                            flooders.add(Thread.ofPlatform().name("test: flood").start(() -> flood(socket)));
                        }
                        enoughConnected.countDown();
                    }
                }));
            }
            assertThat(enoughConnected.await(TestClient.WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("%d clients connected", CONNECTED_AT_STOP).isTrue();
            long start = System.nanoTime();
            Thread stopper = Thread.ofPlatform().name("test: stop the server").start(server::stop);
            boolean stopped = stopper.join(grace.plus(SHUTDOWN_MARGIN).plus(TestClient.WAIT));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(stopped).as("stop() returned at all").isTrue();
            assertThat(took).as("stop() under load, with a grace period of %s", grace)
                    .isLessThanOrEqualTo(grace.plus(SHUTDOWN_MARGIN));
        } finally {
            // Once the server is stopped every connect fails at once; then no socket is added any more.
            for (Thread connector : connectors) {
                connector.join();
            }
            sockets.forEach(Sockets::closeQuietly);
            for (Thread flooder : flooders) {
                flooder.join();
            }
        }
    }

    /**
     * Sends chat messages without pause until the connection fails, a hundred frames per write, so
     * that the flood loads the server rather than this JVM's system calls.
     */
    private static void flood(Socket socket) {
        byte[] frame = RawFrames.frame("flood ".repeat(20));
        byte[][] hundred = new byte[100][];
        Arrays.fill(hundred, frame);
        byte[] message = RawFrames.concat(hundred);
        try {
            OutputStream out = socket.getOutputStream();
            while (true) {
                out.write(message);
            }
        } catch (IOException closed) {
            // The server closed the connection, or the check did: the flood is over.
        }
    }
}

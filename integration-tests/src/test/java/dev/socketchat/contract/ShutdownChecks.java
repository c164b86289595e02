package dev.socketchat.contract;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * PROTOCOL.md §7: on shutdown every client receives {@code * server shutting down} and then the
 * end of the stream, within the grace period, and the server accepts no one after. (That no thread
 * outlives the server is checked after every test, by {@link InProcessServer#close()}.)
 */
final class ShutdownChecks {

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

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
}

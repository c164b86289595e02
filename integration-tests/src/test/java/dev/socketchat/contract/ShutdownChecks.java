package dev.socketchat.contract;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PROTOCOL.md §7: on shutdown every client receives {@code * server shutting down} and then the
 * end of the stream, within the grace period, and the server accepts no one after. (That no thread
 * outlives the server is checked after every test, by {@link InProcessServer#close()}.)
 */
final class ShutdownChecks {

    private ShutdownChecks() {
    }

    static void shutdownReachesEveryClient(ServerUnderTest server, int clients) throws Exception {
        try (Room room = new Room(server)) {
            List<TestClient> connected = room.join(clients);
            Duration grace = server.options().grace();
            // stop() returns only when the server is done, and that needs the clients to read: it runs aside.
            Thread stopper = Thread.ofPlatform().name("test: stop the server").start(server::stop);
            long deadline = System.nanoTime() + grace.toNanos();
            for (TestClient client : connected) {
                client.expect("* server shutting down");
                client.expectEndOfStream();
                assertThat(System.nanoTime() - deadline)
                        .as("%s received the end of stream after the grace period of %s", client, grace)
                        .isNegative();
            }
            room.close();
            assertThat(stopper.join(grace.plus(TestClient.WAIT)))
                    .as("stop() returned within the grace period and a margin").isTrue();
        }
        try (Socket late = new Socket()) {
            assertThatThrownBy(() -> late.connect(server.address(), (int) TimeUnit.SECONDS.toMillis(5)))
                    .as("connecting after stop()")
                    .isInstanceOf(ConnectException.class);
        }
    }
}

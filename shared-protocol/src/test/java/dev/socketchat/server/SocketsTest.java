package dev.socketchat.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The listening socket every blocking lesson starts from, and the lingering close. */
class SocketsTest {

    @Test
    void listensOnTheAddressWithAddressReuseAndReportsAPortInUse() throws IOException {
        try (ServerSocket first = Sockets.listen("127.0.0.1", 0, 0)) {
            assertThat(first.isBound()).isTrue();
            assertThat(first.getReuseAddress()).isTrue();
            assertThat(first.getLocalPort()).isPositive();

            assertThatThrownBy(() -> Sockets.listen("127.0.0.1", first.getLocalPort(), 0))
                    .isInstanceOf(BindException.class);
        }
    }

    /**
     * A client that keeps sending while the server lingers is flooding, not closing: the linger
     * discards {@link Sockets#LINGER_BYTES} at most and returns, long before {@link Sockets#LINGER}.
     * Without the bound it would read for the whole second (it always finds data, so it would only
     * end at its deadline), and that is what this fails on.
     */
    @Test
    void aLingerOnAClientThatKeepsSendingEndsOnceItHasDiscardedItsBudget() throws Exception {
        try (ServerSocket listener = Sockets.listen("127.0.0.1", 0, 0);
             Socket client = new Socket("127.0.0.1", listener.getLocalPort());
             Socket server = listener.accept()) {
            CountDownLatch sending = new CountDownLatch(1);
            Thread flooder = Thread.ofPlatform().name("test: flood").start(() -> {
                byte[] chunk = new byte[8192];
                try {
                    OutputStream out = client.getOutputStream();
                    while (true) {
                        out.write(chunk);
                        sending.countDown();
                    }
                } catch (IOException closed) {
                    // The server closed: the flood is over.
                }
            });
            assertThat(sending.await(10, TimeUnit.SECONDS)).isTrue();

            long start = System.nanoTime();
            Sockets.linger(server);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).as("a linger on a flooder").isLessThan(Sockets.LINGER);
            server.close();
            client.close();
            flooder.join();
        }
    }

    /** A client that sends nothing more and closes its side ends the linger at once. */
    @Test
    void aLingerEndsWhenTheClientClosesItsSide() throws Exception {
        try (ServerSocket listener = Sockets.listen("127.0.0.1", 0, 0);
             Socket client = new Socket("127.0.0.1", listener.getLocalPort());
             Socket server = listener.accept()) {
            client.getOutputStream().write(new byte[100]);
            client.shutdownOutput();

            long start = System.nanoTime();
            Sockets.linger(server);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Sockets.LINGER);
        }
    }
}

package dev.socketchat.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The listening socket every blocking lesson starts from. */
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
}

package dev.socketchat.client;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;

import static org.assertj.core.api.Assertions.assertThat;

class LoopbackSourcesTest {

    @Test
    void givesEachHundredClientsTheNextAddressFrom127_0_0_2() throws IOException {
        assertThat(LoopbackSources.sourceAddress(0).getHostAddress()).isEqualTo("127.0.0.2");
        assertThat(LoopbackSources.sourceAddress(99).getHostAddress()).isEqualTo("127.0.0.2");
        assertThat(LoopbackSources.sourceAddress(100).getHostAddress()).isEqualTo("127.0.0.3");
        assertThat(LoopbackSources.sourceAddress(19_000).getHostAddress()).isEqualTo("127.0.0.192");
        assertThat(LoopbackSources.sourceAddress(100 * 300).getHostAddress()).isEqualTo("127.0.1.46");
    }

    @Test
    void aClientConnectsToALoopbackServerFromItsSourceAddress() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             SocketChannel channel = SocketChannel.open()) {
            InetSocketAddress address = (InetSocketAddress) server.getLocalSocketAddress();
            LoopbackSources.bind(channel, 150, address);
            channel.connect(address);

            try (Socket accepted = server.accept()) {
                assertThat(accepted.getInetAddress().getHostAddress()).isEqualTo("127.0.0.3");
            }
        }
    }
}

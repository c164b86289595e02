package dev.socketchat.cluster;

import dev.socketchat.client.ChatClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** What every cluster test does with a client: join, expect a frame; and find a free port for a Redis. */
final class ClusterClients {

    static final Duration WAIT = Duration.ofSeconds(10);

    private ClusterClients() {
    }

    /** Connects, and checks that the first frame is a welcome. */
    static ChatClient join(InetSocketAddress address) throws IOException {
        ChatClient client = ChatClient.connect(address);
        assertThat(client.receive(WAIT)).startsWith("* welcome guest-");
        return client;
    }

    static void expect(ChatClient client, String frame) throws IOException {
        assertThat(client.receive(WAIT)).isEqualTo(frame);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

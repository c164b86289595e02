package dev.socketchat.cluster;

import dev.socketchat.client.ChatClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** What every cluster test does with a client: join, expect a frame; and find a free port for a Redis. */
final class ClusterClients {

    /**
     * How long a test waits for a frame it expects: patience, not a bound (a frame takes
     * milliseconds). Generous, because a build on two threads runs these tests beside others, and a
     * wait that ran out under such load once failed a green change.
     */
    static final Duration WAIT = Duration.ofSeconds(30);

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

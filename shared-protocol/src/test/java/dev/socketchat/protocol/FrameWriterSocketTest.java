package dev.socketchat.protocol;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import static org.assertj.core.api.Assertions.assertThat;

/** A socket's writer sends each flush at once, over a real loopback connection. */
class FrameWriterSocketTest {

    @Test
    void writerForASocketSwitchesNaglesAlgorithmOffAndFramesArriveWhole() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(listener.getInetAddress(), listener.getLocalPort());
             Socket accepted = listener.accept()) {
            assertThat(accepted.getTcpNoDelay()).as("before").isFalse();

            FrameWriter writer = FrameWriter.of(accepted);
            writer.send("hello");

            assertThat(accepted.getTcpNoDelay()).as("after").isTrue();
            assertThat(new FrameReader(client.getInputStream(), 100).read()).isEqualTo("hello");
        }
    }
}

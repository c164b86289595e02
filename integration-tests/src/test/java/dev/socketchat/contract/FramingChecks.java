package dev.socketchat.contract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static dev.socketchat.contract.RawFrames.concat;
import static dev.socketchat.contract.RawFrames.frame;
import static dev.socketchat.contract.RawFrames.header;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/protocol.md §2 as a client sees it: however the bytes are cut into writes, a server reads whole
 * frames, counts payloads in bytes, and enforces the maximum from the header alone. One client is
 * enough for each check, since the sender's own copy of a message is its acknowledgement.
 */
final class FramingChecks {

    private FramingChecks() {
    }

    static void frameSentOneByteAtATime(ServerUnderTest server) throws IOException {
        try (TestClient client = TestClient.join(server)) {
            String text = "sent one byte at a time, even inside é and 🙂";
            for (byte b : frame(text)) {
                client.sendRaw(new byte[] {b});
            }
            client.expect(client.says(text));
        }
    }

    static void manyFramesInOneWrite(ServerUnderTest server) throws IOException {
        try (TestClient client = TestClient.join(server)) {
            client.sendRaw(concat(frame("first"), frame("!ping in between"), frame(""), frame("second"),
                    frame("third")));
            client.expect(client.says("first"));
            client.expect("!pong in between");
            client.expect(client.says("second"));
            client.expect(client.says("third"));
        }
    }

    static void keepaliveIsNeverRelayedNorAnswered(ServerUnderTest server) throws IOException {
        try (TestClient client = TestClient.join(server)) {
            client.sendRaw(frame(""));
            client.sendRaw(concat(frame(""), frame("")));
            client.send("after three keepalives");
            // A keepalive relayed or answered would arrive before this.
            client.expect(client.says("after three keepalives"));
        }
    }

    static void multiByteUtf8IsCountedInBytes(ServerUnderTest server) throws IOException {
        try (TestClient client = TestClient.join(server)) {
            String text = "naïve café, 日本語, 🙂 and 𝄞";
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            assertThat(utf8.length).as("the text has multi-byte characters").isGreaterThan(text.length());
            // The next frame follows at once: a server that counted characters would lose the boundary.
            client.sendRaw(concat(frame(utf8), frame("boundary kept")));
            client.expect(client.says(text));
            client.expect(client.says("boundary kept"));
        }
    }

    static void payloadOfExactlyTheMaximumIsAccepted(ServerUnderTest server) throws IOException {
        int max = server.options().maxPayload();
        byte[] payload = new byte[max];
        Arrays.fill(payload, (byte) 'x');
        try (TestClient client = TestClient.join(server)) {
            client.sendRaw(frame(payload));
            String relayed = client.next();
            String expected = client.says(new String(payload, StandardCharsets.US_ASCII));
            if (!relayed.equals(expected)) {
                throw new AssertionError(client + " expected its " + max + "-byte message back, but received \""
                        + TestClient.abbreviate(relayed) + "\"");
            }
            client.send("!ping after the largest frame");
            client.expect("!pong after the largest frame");
        }
    }

    static void payloadOneByteOverTheMaximumIsRefused(ServerUnderTest server) throws IOException {
        int max = server.options().maxPayload();
        try (TestClient client = TestClient.join(server)) {
            // The header alone must be refused: the server may not wait for, or allocate, the payload.
            client.sendRaw(header(Integer.toString(max + 1)));
            client.expectStartingWith("!error ");
            assertThat(client.expectClosedAfterAnyFrames()).as("frames after the !error").isZero();
        }
        FaultChecks.nextClientIsServed(server);
    }
}

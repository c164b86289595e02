package dev.socketchat.contract;

import java.io.IOException;
import java.net.Socket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * docs/protocol.md §7, slow consumers: a client that stops reading must cost the others nothing. Its
 * frames pile up in its outbox until the outbound limit, then it is dropped; meanwhile the others
 * go on at their own pace.
 */
final class SlowConsumerChecks {

    /** The receive buffer the slow client asks for: the kernel holds little for it. */
    private static final int SMALL_RECEIVE_BUFFER = 4096;
    private static final int MESSAGE_BYTES = 64 * 1024;
    /** Far above the outbound limit plus every kernel buffer on the way: by then the drop is overdue. */
    private static final long GIVE_UP_AFTER_BYTES = 64L * 1024 * 1024;

    private SlowConsumerChecks() {
    }

    /**
     * Two clients exchange messages in lockstep, each waiting for both copies of every message
     * before the next is sent, while a third never reads. Every step must complete within the
     * usual wait: a server that waited for the slow client would stall the exchange at once.
     */
    static void slowConsumerDoesNotStallTheRoomAndIsDropped(ServerUnderTest server) throws IOException {
        try (Room room = new Room(server)) {
            TestClient first = room.join();
            TestClient second = room.join();
            Socket small = new Socket();
            small.setReceiveBufferSize(SMALL_RECEIVE_BUFFER);
            TestClient slow = room.join(small);
            // From here on the slow client reads nothing until it has been dropped.
            String dropNotice = "* " + slow.name() + " left (too slow)";
            String filler = "s".repeat(MESSAGE_BYTES);
            List<TestClient> exchanging = List.of(first, second);
            Set<TestClient> toldOfDrop = new HashSet<>();
            long exchanged = 0;
            for (int round = 0; toldOfDrop.size() < exchanging.size(); round++) {
                if (exchanged > GIVE_UP_AFTER_BYTES) {
                    throw new AssertionError(slow + " was never dropped, although the others exchanged "
                            + exchanged / (1024 * 1024) + " MiB while it read nothing (outbound limit: "
                            + server.options().outboundLimit() + " bytes)");
                }
                TestClient speaker = exchanging.get(round % 2);
                String text = "round " + round + " " + filler;
                speaker.send(text);
                for (TestClient listener : exchanging) {
                    String frame = nextOf(listener, round, exchanged);
                    if (frame.equals(dropNotice)) {
                        toldOfDrop.add(listener);
                        frame = nextOf(listener, round, exchanged);
                    }
                    if (!frame.equals(speaker.says(text))) {
                        throw new AssertionError(listener + " expected round " + round + " from " + speaker
                                + " but received \"" + TestClient.abbreviate(frame) + "\"");
                    }
                }
                exchanged += text.length();
            }
            // Dropped means disconnected: whatever the kernel still held for it, then the end.
            slow.expectClosedAfterAnyFrames();
            room.forget(slow);
            second.send("the room goes on");
            Room.eachExpects(second.says("the room goes on"), first, second);
        }
    }

    private static String nextOf(TestClient listener, int round, long exchanged) throws IOException {
        try {
            return listener.next();
        } catch (AssertionError e) {
            throw new AssertionError("the room stalled in round " + round + ", after " + exchanged / 1024
                    + " KiB: " + e.getMessage(), e);
        }
    }
}

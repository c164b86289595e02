package dev.socketchat.contract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static dev.socketchat.contract.RawFrames.concat;
import static dev.socketchat.contract.RawFrames.frame;
import static dev.socketchat.contract.RawFrames.header;
import static dev.socketchat.contract.Room.eachExpects;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/protocol.md §2 and §7: every way a client can break the protocol or vanish, and what must follow.
 * The offender alone is closed, with {@code !error <reason>} first where it can still hear it;
 * everyone else carries on, and the server goes on serving new clients.
 */
final class FaultChecks {

    /** One way for a client to misbehave. */
    record Fault(String name, Misbehaviour misbehaviour, boolean answered) {

        /** Sends bytes the protocol forbids; the server answers with {@code !error} before closing. */
        static Fault sends(String name, byte[] wire) {
            return new Fault(name, client -> client.sendRaw(wire), true);
        }

        /** Vanishes without a word; there is nobody left to answer. */
        static Fault vanishes(String name, Misbehaviour misbehaviour) {
            return new Fault(name, misbehaviour, false);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Misbehaviour {
        void commit(TestClient client) throws IOException;
    }

    /** Every bad header of docs/protocol.md §2 except "above the maximum", which depends on the server's options. */
    static final List<Fault> BAD_HEADERS = List.of(
            Fault.sends("a letter in the length", header("12a")),
            Fault.sends("a plus sign", header("+5")),
            Fault.sends("a minus sign", header("-5")),
            Fault.sends("a tab", header("5\t")),
            Fault.sends("a NUL byte", header("5\0")),
            Fault.sends("a non-ASCII digit", header("٥".getBytes(StandardCharsets.UTF_8))),
            Fault.sends("two runs of digits", header("5 5")),
            Fault.sends("no digit at all", header("")),
            Fault.sends("a 64-digit length", header("9".repeat(64))));

    /** Every kind of malformed UTF-8 of docs/protocol.md §2, inside an otherwise valid frame. */
    static final List<Fault> BAD_UTF8 = List.of(
            badUtf8("a lone continuation byte", "80"),
            badUtf8("the byte FF", "ff"),
            badUtf8("an overlong encoding", "c0af"),
            badUtf8("an encoded surrogate", "eda080"),
            badUtf8("a code point above U+10FFFF", "f4908080"),
            Fault.sends("a sequence cut off at the end",
                    frame(concat("ends in ".getBytes(StandardCharsets.US_ASCII), HexFormat.of().parseHex("e282")))));

    /** Clients that go away in the middle of things. */
    static final List<Fault> VANISHING = List.of(
            Fault.vanishes("a client vanishing mid-header", client -> {
                client.sendRaw(Arrays.copyOf(frame("never finished"), 20));
                client.close();
            }),
            Fault.vanishes("a client vanishing mid-payload", client -> {
                byte[] frame = frame("never finished");
                client.sendRaw(Arrays.copyOf(frame, frame.length - 5));
                client.close();
            }),
            Fault.vanishes("a connection reset", client -> {
                // Linger zero: close() sends a reset instead of the orderly end of stream.
                client.socket().setSoLinger(true, 0);
                client.close();
            }));

    private FaultChecks() {
    }

    /** Every fault above, and a header above the maximum for this server. */
    static List<Fault> all(ServerUnderTest server) {
        List<Fault> faults = new ArrayList<>(BAD_HEADERS);
        faults.add(Fault.sends("a length above the maximum",
                header(Integer.toString(server.options().maxPayload() + 1))));
        faults.addAll(BAD_UTF8);
        faults.addAll(VANISHING);
        return faults;
    }

    /** The offender is answered (if it can hear) and closed, and the server then serves the next client. */
    static void closesOnlyTheOffender(ServerUnderTest server, Fault fault) throws IOException {
        try (TestClient offender = TestClient.join(server)) {
            fault.misbehaviour().commit(offender);
            if (fault.answered()) {
                offender.expectStartingWith("!error ");
                assertThat(offender.expectClosedAfterAnyFrames()).as("frames after the !error").isZero();
            }
        }
        nextClientIsServed(server);
    }

    /** Two clients stay connected while one offender after another misbehaves next to them. */
    static void othersCarryOnThroughEveryFault(ServerUnderTest server) throws IOException {
        try (Room room = new Room(server)) {
            TestClient first = room.join();
            TestClient second = room.join();
            for (Fault fault : all(server)) {
                try {
                    TestClient offender = room.join();
                    fault.misbehaviour().commit(offender);
                    if (fault.answered()) {
                        offender.expectStartingWith("!error ");
                        assertThat(offender.expectClosedAfterAnyFrames()).as("frames after the !error").isZero();
                    }
                    room.forget(offender);
                    if (server.options().notices()) {
                        eachExpects("* " + offender.name() + " left", first, second);
                    }
                    first.send("still here after " + fault);
                    eachExpects(first.says("still here after " + fault), first, second);
                } catch (AssertionError e) {
                    throw new AssertionError("after " + fault + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /**
     * A new client joins and is answered: the server is still serving. It may join before the
     * server has noticed that the previous client is gone, and then hear of its leaving first.
     */
    static void nextClientIsServed(ServerUnderTest server) throws IOException {
        try (TestClient next = TestClient.join(server)) {
            next.send("!ping next");
            assertThat(next.nextAfterLeaveNotices())
                    .as("%s's answer to !ping, after any notices of earlier clients leaving", next)
                    .isEqualTo("!pong next");
        }
    }

    private static Fault badUtf8(String name, String hex) {
        byte[] payload = concat("ok ".getBytes(StandardCharsets.US_ASCII), HexFormat.of().parseHex(hex),
                " ok".getBytes(StandardCharsets.US_ASCII));
        return Fault.sends(name, frame(payload));
    }
}

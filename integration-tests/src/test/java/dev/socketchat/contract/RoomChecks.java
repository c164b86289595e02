package dev.socketchat.contract;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.socketchat.contract.RawFrames.concat;
import static dev.socketchat.contract.RawFrames.frame;
import static dev.socketchat.contract.Room.eachExpects;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/protocol.md §3 and §4: relaying, names, commands and leaving. Where a reply must reach the asker
 * only, a second client proves it: its next frame is the one that follows in the room, not the
 * reply.
 */
final class RoomChecks {

    private RoomChecks() {
    }

    static void messageIsRelayedToEveryoneSenderIncluded(ServerUnderTest server) throws IOException {
        try (Room room = new Room(server)) {
            List<TestClient> clients = room.join(3);
            TestClient sender = clients.get(1);
            sender.send("hello, room");
            eachExpects(sender.says("hello, room"), clients.toArray(TestClient[]::new));
        }
    }

    static void nickRenamesAndEveryoneIsTold(ServerUnderTest server) throws IOException {
        try (Room room = new Room(server)) {
            TestClient alice = room.join();
            TestClient bob = room.join();
            alice.send("!nick Alice_2-x");
            eachExpects("* " + alice.name() + " is now Alice_2-x", alice, bob);
            alice.send("hi");
            eachExpects("[Alice_2-x] hi", alice, bob);
            String longest = "n".repeat(32);
            alice.send("!nick " + longest);
            eachExpects("* Alice_2-x is now " + longest, alice, bob);
        }
    }

    static void nickRefusesATakenNameIgnoringCase(ServerUnderTest server) throws IOException {
        try (Room room = new Room(server)) {
            TestClient alice = room.join();
            TestClient bob = room.join();
            alice.send("!nick alice");
            eachExpects("* " + alice.name() + " is now alice", alice, bob);
            for (String taken : List.of("alice", "ALICE", "Alice")) {
                bob.send("!nick " + taken);
                bob.expectStartingWith("!error ");
            }
            bob.send("still " + bob.name());
            // Alice heard nothing of the refusals, and Bob kept his name.
            eachExpects(bob.says("still " + bob.name()), alice, bob);
        }
    }

    static void nickRefusesAnInvalidName(ServerUnderTest server) throws IOException {
        List<String> invalid = List.of("!nick", "!nick ", "!nick two words", "!nick " + "x".repeat(33),
                "!nick café", "!nick a.b", "!nick <b>");
        try (TestClient client = TestClient.join(server)) {
            for (String command : invalid) {
                client.send(command);
                client.expectStartingWith("!error ");
            }
            client.send("name unchanged");
            client.expect(client.says("name unchanged"));
        }
    }

    static void noClientCanAppearUnderAnothersName(ServerUnderTest server) throws IOException {
        try (Room room = new Room(server)) {
            TestClient alice = room.join();
            TestClient mallory = room.join();
            alice.send("!nick alice");
            eachExpects("* " + alice.name() + " is now alice", alice, mallory);
            mallory.send("[alice] I am alice");
            eachExpects(mallory.says("[alice] I am alice"), alice, mallory);
            mallory.send("!nick ALICE");
            mallory.expectStartingWith("!error ");
            mallory.send("* alice left");
            eachExpects(mallory.says("* alice left"), alice, mallory);
        }
    }

    static void whoListsEveryName(ServerUnderTest server) throws IOException {
        try (Room room = new Room(server)) {
            TestClient asker = room.join();
            TestClient carol = room.join();
            carol.send("!nick carol");
            eachExpects("* " + carol.name() + " is now carol", asker, carol);
            asker.send("!who");
            String who = asker.expectStartingWith("!who ");
            assertThat(Arrays.asList(who.substring("!who ".length()).split(",")))
                    .as("the names in \"%s\"", who)
                    .containsExactlyInAnyOrder(asker.name(), "carol");
        }
    }

    static void pingIsAnsweredWithTheTokenEchoed(ServerUnderTest server) throws IOException {
        String token = "tok en  with spaces, é, 🙂 and \\ \" ";
        try (TestClient client = TestClient.join(server)) {
            client.send("!ping");
            client.expect("!pong");
            client.send("!ping " + token);
            client.expect("!pong " + token);
            client.send("!PiNg case");
            client.expect("!pong case");
        }
    }

    static void unknownCommandIsRefusedAndTheConnectionStays(ServerUnderTest server) throws IOException {
        try (TestClient client = TestClient.join(server)) {
            client.send("!frobnicate now");
            client.expect("!error unknown command: frobnicate");
            client.send("still connected");
            client.expect(client.says("still connected"));
        }
    }

    static void repliesReachTheAskerOnly(ServerUnderTest server) throws IOException {
        try (Room room = new Room(server)) {
            TestClient asker = room.join();
            TestClient other = room.join();
            asker.send("!ping", "!who", "!frobnicate", "!nick not valid");
            asker.expect("!pong");
            asker.expectStartingWith("!who ");
            asker.expect("!error unknown command: frobnicate");
            asker.expectStartingWith("!error ");
            asker.send("that was all");
            eachExpects(asker.says("that was all"), other, asker);
        }
    }

    /** Each spelling leaves after a burst of messages sent in the same write, so their echoes are still queued. */
    static void disconnectInAnyLetterCaseDeliversEverythingQueuedFirst(ServerUnderTest server) throws IOException {
        String filler = "q".repeat(4096);
        for (String disconnect : List.of("!Disconnect", "!disconnect", "!DISCONNECT", "!dIsCoNnEcT")) {
            try (TestClient client = TestClient.join(server)) {
                List<byte[]> frames = new ArrayList<>();
                for (int i = 0; i < 25; i++) {
                    frames.add(frame(i + " " + filler));
                }
                frames.add(frame(disconnect));
                client.sendRaw(concat(frames.toArray(byte[][]::new)));
                // The client before it left just now: its leave may come first.
                client.expectAfterLeaveNotices(client.says(0 + " " + filler));
                for (int i = 1; i < 25; i++) {
                    client.expect(client.says(i + " " + filler));
                }
                try {
                    client.expectEndOfStream();
                } catch (AssertionError e) {
                    throw new AssertionError("after \"" + disconnect + "\": " + e.getMessage(), e);
                }
            }
        }
    }

    static void leavingIsAnnouncedOnceToTheOthers(ServerUnderTest server) throws IOException {
        try (Room room = new Room(server)) {
            TestClient stayer = room.join();
            TestClient leaver = room.join();
            leaver.send("bye", "!Disconnect");
            eachExpects(leaver.says("bye"), stayer, leaver);
            leaver.expectEndOfStream();
            stayer.expect("* " + leaver.name() + " left");
            room.forget(leaver);
            stayer.send("alone now");
            stayer.expect(stayer.says("alone now"));
        }
    }
}

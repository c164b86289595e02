package dev.socketchat.bench;

import dev.socketchat.client.ChatClient;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ModelSetting;
import dev.socketchat.server.ServerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The experiment serves the room as lesson 08 does: the benchmarks compare costs, not behaviours. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedDuplicatesModelTest {

    @Test
    void relaysEveryFrameInTheRoomsOrderAcrossLoops() throws IOException {
        ServerOptions options = ServerOptions.defaults().withPort(0).withQuiet(true).with(ModelSetting.LOOPS, 2)
                // A burst far beyond any person's rate, on purpose.
                .withMaxBurst(Integer.MAX_VALUE);
        try (ChatServer server = new SharedDuplicatesModel().create(options, ServerConsole.silent())) {
            server.start();
            try (ChatClient alice = ChatClient.connect(server.address())) {
                assertThat(alice.receive()).startsWith("* welcome guest-1");
                try (ChatClient bob = ChatClient.connect(server.address())) { // on the other loop: round robin
                    assertThat(bob.receive()).startsWith("* welcome guest-2");
                    assertThat(alice.receive()).isEqualTo("* guest-2 joined");

                    for (int i = 0; i < 100; i++) {
                        (i % 2 == 0 ? alice : bob).send("m" + i);
                    }

                    List<String> aliceGot = receive(alice, 100);
                    assertThat(aliceGot).as("every message, once")
                            .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 100)
                                    .mapToObj(i -> "[guest-" + (i % 2 + 1) + "] m" + i).toList());
                    assertThat(receive(bob, 100)).as("bob's order, against alice's").isEqualTo(aliceGot);
                }
            }
        }
    }

    private static List<String> receive(ChatClient client, int frames) throws IOException {
        List<String> received = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            received.add(client.receive());
        }
        return received;
    }
}

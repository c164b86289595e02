package dev.socketchat.contract;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/protocol.md §9 against a client that tries to write to the operator's terminal through the
 * console: a message with a newline that forges a line of the server's own, and one with the
 * escape sequences that clear the screen and move the cursor home.
 */
final class ConsoleChecks {

    static final String FORGED = "hi\n[+] admin connected from 10.0.0.1:22";
    static final String SCREEN_CLEARING = "\u001B[2J\u001B[Hnothing to see here";

    private ConsoleChecks() {
    }

    static void clientsCannotWriteToTheConsole(ServerUnderTest server, Supplier<String> console) throws IOException {
        try (TestClient mallory = TestClient.join(server)) {
            mallory.send(FORGED, SCREEN_CLEARING);
            // The room prints a message before it relays it: once the echo is back, the line is out.
            mallory.expect(mallory.says(FORGED));
            mallory.expect(mallory.says(SCREEN_CLEARING));
            String printed = console.get();
            List<String> lines = printed.lines().toList();

            assertThat(printed).as("the console").doesNotContain("\u001B");
            assertThat(lines).as("console lines").noneMatch(line -> line.startsWith("[+] admin"))
                    .contains("[" + mallory.name() + "] hi^J[+] admin connected from 10.0.0.1:22",
                            "[" + mallory.name() + "] ^[[2J^[[Hnothing to see here");
        }
    }
}

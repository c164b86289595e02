package dev.socketchat.contract;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./chat test MODEL}, run in this JVM as the launcher script runs it. */
class ContractCommandIT {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void anUnknownModelIsOneLineAndExitStatusTwo() {
        assertThat(run("no-such-model")).isEqualTo(ContractCommand.USAGE);
        assertThat(lines(err)).singleElement().asString()
                .startsWith("chat test: no model named 'no-such-model'; the registered models are ")
                .contains("nio-selector");
        assertThat(lines(out)).isEmpty();
    }

    @Test
    void noModelIsOneLineAndExitStatusTwo() {
        assertThat(run()).isEqualTo(ContractCommand.USAGE);
        assertThat(lines(err)).singleElement().asString().startsWith("chat test: name one model");
    }

    /**
     * The whole contract against the model that serves one client at a time, the quickest to run:
     * what it passes and what it skips, one line each, then the count, exit status 0.
     */
    @Test
    void aModelThatKeepsTheContractPassesEveryBehaviourItCanServe() {
        assertThat(run("single-threaded")).as("exit status; printed:%n%s", out).isZero();

        List<String> lines = lines(out);
        assertThat(lines).contains(
                "passed   single-threaded: !ping is answered with !pong and the token echoed byte for byte",
                "skipped  single-threaded: 500 concurrent clients: every message reaches every client"
                        + " (single-threaded serves 1 client at a time; this test needs 500)");
        assertThat(lines).noneMatch(line -> line.startsWith("FAILED"));
        long passed = lines.stream().filter(line -> line.startsWith("passed   ")).count();
        long skipped = lines.stream().filter(line -> line.startsWith("skipped  ")).count();
        assertThat(lines.getLast()).isEqualTo(passed + " passed, 0 failed, " + skipped + " skipped");
        assertThat(passed).as("behaviours that single-threaded passes").isGreaterThan(20);
        assertThat(lines(err)).isEmpty();
    }

    private int run(String... args) {
        return ContractCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static List<String> lines(ByteArrayOutputStream printed) {
        String text = printed.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }
}

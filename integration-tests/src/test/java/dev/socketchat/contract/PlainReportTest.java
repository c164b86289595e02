package dev.socketchat.contract;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code ./chat test MODEL} prints, and the exit status it returns. */
class PlainReportTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PlainReport report = new PlainReport(new PrintStream(printed, true, StandardCharsets.UTF_8));

    @Test
    void eachBehaviourIsOneLineAndTheCountCloses() {
        report.passed("nio-selector: !ping is answered with !pong");
        report.skipped("nio-selector: a client beyond the model's own limit", "no limit of its own");

        assertThat(report.finish()).isEqualTo(PlainReport.ALL_PASSED);
        assertThat(lines()).containsExactly(
                "passed   nio-selector: !ping is answered with !pong",
                "skipped  nio-selector: a client beyond the model's own limit (no limit of its own)",
                "1 passed, 0 failed, 1 skipped");
    }

    @Test
    void oneFailureMakesTheExitStatusOneAndItsReasonFitsOnOneLine() {
        report.passed("mine: a");
        report.failed("mine: b", "mine: b: [stop() under load] \nExpecting actual:\n  3.48S\nto be less than or equal to:\n  2S ");

        assertThat(report.finish()).isEqualTo(PlainReport.SOME_FAILED);
        assertThat(lines()).containsExactly(
                "passed   mine: a",
                "FAILED   mine: b",
                "         mine: b: [stop() under load] Expecting actual: 3.48S to be less than or equal to: 2S",
                "1 passed, 1 failed, 0 skipped");
    }

    @Test
    void aFailureWithoutAMessageStillSaysSo() {
        report.failed("mine: c", null);

        assertThat(report.finish()).isEqualTo(PlainReport.SOME_FAILED);
        assertThat(lines()).contains("         no reason given");
    }

    private String[] lines() {
        return printed.toString(StandardCharsets.UTF_8).split("\n");
    }
}

package dev.socketchat.bench.report;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Figures in the lessons' prose come from the committed run: each marked figure is filled in from
 * it, a figure the run does not contain is an error, and a README whose figures differ from what the
 * committed run gives fails this test until {@code bench report} is run again.
 */
class ReadmeFiguresTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void aMarkedFigureIsFilledInAndAFigureTheRunLacksIsAnErrorNamingTheFileAndKey() throws IOException {
        Report report = Report.read(committedRun());
        String filled = ReadmeFigures.fill("about <!-- bench:rss:nio-selector:10000 -->old<!-- /bench --> MiB", report, "x.md");
        assertThat(filled).matches("about <!-- bench:rss:nio-selector:10000 -->[\\d,]+\\.\\d<!-- /bench --> MiB");
        assertThat(ReadmeFigures.fill(filled, report, "x.md")).isEqualTo(filled);

        assertThatThrownBy(() -> ReadmeFigures.fill("<!-- bench:rss:nio-selector:7 --><!-- /bench -->", report, "x.md"))
                .hasMessage("x.md: the run has no figure for <!-- bench:rss:nio-selector:7 -->");
    }

    /** A ratio in words ("falls 22-fold") goes stale like any figure; {@code times} generates it. */
    @Test
    void timesIsTheRatioOfTwoFiguresAsTheTablesPrintThem() throws IOException {
        Report report = Report.read(committedRun());
        double ten = Double.parseDouble(ReadmeFigures.figure(report, "fan-out:nio-selector:10").orElseThrow().replace(",", ""));
        double thousand = Double.parseDouble(ReadmeFigures.figure(report, "fan-out:nio-selector:1000").orElseThrow().replace(",", ""));

        assertThat(ReadmeFigures.figure(report, "times:fan-out:nio-selector:10:nio-selector:1000"))
                .contains(String.format(java.util.Locale.ROOT, "%.1f", ten / thousand));
        assertThat(ReadmeFigures.figure(report, "times:fan-out:nio-selector:10:nio-selector:7"))
                .as("a level the run lacks").isEmpty();
        assertThat(ReadmeFigures.figure(report, "times:no-such-figure:nio-selector:10:nio-selector:1000")).isEmpty();
        assertThat(ReadmeFigures.figure(report, "times:kib-per-client:nio-selector:nio-selector"))
                .as("a figure of the whole run, without a level").contains("1.0");
    }

    @Test
    void costsPerMessageAreFiguresAsTheTablesPrintThemAndAnUncountedOneIsNone() throws IOException {
        // The counters-on run of 2026-12-07: perf counted every call of both variants.
        Report report = Report.read(ROOT.resolve("benchmarks/results/2026-12-07-155037-counters-on"));

        assertThat(ReadmeFigures.figure(report, "switches-rt:thread-per-client:100")).hasValue("0.24");
        assertThat(ReadmeFigures.figure(report, "syscall.futex-rt:thread-per-client:100")).isPresent();
        assertThat(ReadmeFigures.figure(report, "cpu-frame:nio-selector:100")).hasValue("0.54");
        assertThat(ReadmeFigures.figure(report, "times:cpu-rt:thread-per-client:100:nio-selector:100")).isPresent();
        assertThat(ReadmeFigures.figure(report, "syscall.no_such_call-rt:nio-selector:100")).as("not counted").isEmpty();
        // A call's name may hold an underscore, and a marker naming one is filled like any other.
        assertThat(ReadmeFigures.fill("<!-- bench:syscall.epoll_wait-rt:nio-selector:100 --><!-- /bench -->", report, "test"))
                .matches("<!-- bench:syscall\\.epoll_wait-rt:nio-selector:100 -->[0-9.e-]+<!-- /bench -->");
        assertThat(ReadmeFigures.figure(report, "warp-rt:nio-selector:100")).as("not a cost").isEmpty();
        assertThat(ReadmeFigures.figure(Report.read(ROOT.resolve("benchmarks/results/2026-12-07-160021-counters-off")),
                "cpu-rt:nio-selector:100")).as("a run without counters has no cost to quote").isEmpty();
    }

    @Test
    void everyFigureInTheLessonsIsTheCommittedRunsFigure() throws IOException {
        Report report = Report.read(committedRun());
        for (Path document : ReadmeFigures.documents(ROOT)) {
            String text = Files.readString(document, StandardCharsets.UTF_8);
            assertThat(text).as(ROOT.relativize(document) + " (run ./chat bench report to regenerate)")
                    .isEqualTo(ReadmeFigures.fill(text, report, ROOT.relativize(document).toString()));
        }
    }

    @Test
    void theLessonTableIsTheCommittedRunsTable() throws IOException {
        Path lessons = ROOT.resolve("docs/lessons.md");
        String text = Files.readString(lessons, StandardCharsets.UTF_8);
        assertThat(text).contains(LessonTable.BEGIN, LessonTable.END);
        String table = text.substring(text.indexOf(LessonTable.BEGIN) + LessonTable.BEGIN.length(), text.indexOf(LessonTable.END));
        assertThat(table.strip()).isEqualTo(LessonTable.markdown(Report.read(committedRun()), ROOT).strip());
    }

    /** The run docs/benchmarks.md was generated from: its "raw results" link names it. */
    static Path committedRun() throws IOException {
        String benchmarks = Files.readString(ROOT.resolve("docs/benchmarks.md"), StandardCharsets.UTF_8);
        Matcher link = Pattern.compile("\\]\\((\\.\\./benchmarks/results/[^)]+)\\)").matcher(benchmarks);
        assertThat(link.find()).as("docs/benchmarks.md links its raw results").isTrue();
        return ROOT.resolve("docs").resolve(link.group(1)).normalize();
    }
}

package dev.socketchat.bench.report;

import dev.socketchat.bench.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTest {

    private static final String JMH_JSON = """
            [ {
                "benchmark" : "dev.socketchat.bench.FanOutBenchmark.deliveries",
                "mode" : "thrpt",
                "params" : { "clients" : "100", "variant" : "thread-per-client" },
                "primaryMetric" : { "score" : 110614.0, "scoreError" : "NaN", "scoreUnit" : "ops/s" },
                "secondaryMetrics" : { "latency.p99" : { "score" : 42.5, "scoreError" : 1.5, "scoreUnit" : "us" } }
            } ]
            """;

    @Test
    void readsJmhJsonWithNaNErrors() {
        assertThat(Report.parse(JMH_JSON)).singleElement().satisfies(result -> {
            assertThat(result.workload()).isEqualTo(Workload.FAN_OUT);
            assertThat(result.variant()).isEqualTo("thread-per-client");
            assertThat(result.clients()).isEqualTo(100);
            assertThat(result.score().score()).isEqualTo(110614.0);
            assertThat(result.score().error()).isNaN();
            assertThat(result.metric("latency.p99")).contains(new Report.Value(42.5, 1.5));
        });
    }

    /** As JMH writes a fork's result: pretty-printed, with what it derives from each metric's iterations. */
    @Test
    void aCompactedResultFileReadsTheSameAndKeepsEveryIteration(@TempDir Path dir) throws IOException {
        String written = """
                [
                    {
                        "benchmark" : "dev.socketchat.bench.RequestResponseBenchmark.roundTrips",
                        "mode" : "thrpt",
                        "params" : { "clients" : "100", "variant" : "nio-selector" },
                        "primaryMetric" : {
                            "score" : 100.0, "scoreError" : 2.0, "scoreConfidence" : [ 98.0, 102.0 ],
                            "scorePercentiles" : { "0.0" : 99.0, "50.0" : 100.0, "100.0" : 101.0 },
                            "scoreUnit" : "ops/s", "rawData" : [ [ 99.0, 100.0, 101.0 ] ]
                        },
                        "secondaryMetrics" : {
                            "cost.cpu" : {
                                "score" : 1.25, "scoreError" : "NaN", "scoreConfidence" : [ "NaN", "NaN" ],
                                "scorePercentiles" : { "0.0" : 1.2, "100.0" : 1.3 },
                                "scoreUnit" : "us/msg", "rawData" : [ [ 1.2, 1.25, 1.3 ] ]
                            }
                        }
                    }
                ]
                """;
        Path file = dir.resolve("request-response-nio-selector.json");
        Files.writeString(file, written);

        Report.compactJmhResult(file);

        String kept = Files.readString(file);
        assertThat(Report.parse(kept)).isEqualTo(Report.parse(written));
        assertThat(kept.lines()).hasSize(1);
        assertThat(kept).doesNotContain("scorePercentiles", "scoreConfidence").contains("[[99.0,100.0,101.0]]")
                .hasSizeLessThan(written.length() / 2);
    }

    @Test
    void replacesOnlyTheGeneratedPartAndKeepsTheProse() {
        String document = "# Benchmarks\n\nHow to read.\n\n" + Report.BEGIN + "\nold table\n" + Report.END
                + "\n\n## What the numbers mean\n";

        String spliced = Report.splice(document, "new table\n");

        assertThat(spliced)
                .startsWith("# Benchmarks\n\nHow to read.\n\n" + Report.BEGIN)
                .contains("new table")
                .doesNotContain("old table")
                .endsWith(Report.END + "\n\n## What the numbers mean\n");
        assertThat(Report.splice(spliced, "new table\n")).isEqualTo(spliced);
    }

    @Test
    void appendsTheMarkersToADocumentThatHasNone() {
        assertThat(Report.splice("# Benchmarks\n", "table\n"))
                .isEqualTo("# Benchmarks\n\n" + Report.BEGIN + "\n\ntable\n\n" + Report.END + "\n");
    }

    @Test
    void drawsAVariantThatWasNotRunAtEveryLevelNextToOnesWithErrorBars(@TempDir Path dir) throws IOException {
        Path results = Files.createDirectories(dir.resolve("results"));
        RunInfo run = new RunInfo("2026-11-24", "quick", "test", RunInfo.Machine.current(), "25",
                List.of(new RunInfo.Variant("single-threaded", 1, "one"), new RunInfo.Variant("nio-selector", 4, "four")),
                List.of("fan-out"), List.of(new RunInfo.Skip("fan-out", "single-threaded", 100, "serves 1 client")), 1, null, null);
        run.write(results);
        Files.writeString(results.resolve("fan-out.json"), "[" + fanOut("nio-selector", 10, 1000.0, 50.0) + ","
                + fanOut("nio-selector", 100, 900.0, 40.0) + "," + fanOut("single-threaded", 10, 300.0, 20.0) + "]",
                StandardCharsets.UTF_8);

        Report.write(results, dir);

        assertThat(dir.resolve(Report.CHARTS).resolve("fan-out-throughput.png")).isNotEmptyFile();
        assertThat(Files.readString(dir.resolve("benchmarks.md"), StandardCharsets.UTF_8)).contains("single-threaded");
    }

    @Test
    void writesFromARelativeRunDirectoryToAnAbsoluteDocsDirectory(@TempDir Path dir) throws IOException {
        Path results = Files.createDirectories(dir.resolve("results"));
        writeFanOutRun(results);
        Path relative = Path.of("").toAbsolutePath().relativize(results.toAbsolutePath());

        Report.write(relative, dir.resolve("docs").toAbsolutePath());

        assertThat(Files.readString(dir.resolve("docs").resolve("benchmarks.md"), StandardCharsets.UTF_8))
                .contains("(../results)");
        assertThat(results.resolve(Summary.FILE)).as("the run keeps its summary").isNotEmptyFile();
        assertThat(results.resolve(Report.RUN_CHARTS).resolve("fan-out-throughput.png")).as("and its charts").isNotEmptyFile();
    }

    @Test
    void everyVariantOfTheRunIsInEveryLegendInAColourNoOtherHas(@TempDir Path dir) throws IOException {
        writeFanOutRun(dir);
        var chart = Report.read(dir).charts().get("fan-out-throughput.png");

        // single-threaded was not run at 100 members, thread-per-client at neither: all are in the legend.
        assertThat(chart.getSeriesMap().keySet())
                .containsExactly("single-threaded", "thread-per-client (not run)", "nio-selector");
        int variants = dev.socketchat.bench.BenchVariants.all().size();
        assertThat(java.util.stream.IntStream.range(0, variants).mapToObj(Report::colourOf).distinct().count())
                .as("a colour of its own for each of the %d variants", variants).isEqualTo(variants);
    }

    @Test
    void anErrorBarWiderThanItsBarIsClippedAtZeroAndTheAxisReachesItsTop(@TempDir Path dir) throws IOException {
        writeFanOutRun(dir);
        var chart = Report.read(dir).charts().get("fan-out-throughput.png");

        // nio-selector at 10 members: 1,000 ± 1,500 would reach -500; drawn as 1,000 ± 1,000.
        var series = chart.getSeriesMap().get("nio-selector");
        assertThat(List.copyOf(series.getExtraValues()).getFirst().doubleValue()).isEqualTo(1_000.0);
        assertThat(chart.getStyler().getYAxisMax()).isGreaterThanOrEqualTo(2_000.0);
    }

    /**
     * single-threaded not run at 100 members, thread-per-client not at all; nio-selector with an
     * error wider than its score at 10.
     */
    private static void writeFanOutRun(Path results) throws IOException {
        RunInfo run = new RunInfo("2026-11-24", "quick", "test", RunInfo.Machine.current(), "25",
                List.of(new RunInfo.Variant("single-threaded", 1, "one"), new RunInfo.Variant("thread-per-client", 2, "two"),
                        new RunInfo.Variant("nio-selector", 4, "four")),
                List.of("fan-out"), List.of(new RunInfo.Skip("fan-out", "single-threaded", 100, "serves 1 client")), 1,
                null, null);
        run.write(results);
        Files.writeString(results.resolve("fan-out.json"), "[" + fanOut("nio-selector", 10, 1000.0, 1500.0) + ","
                + fanOut("nio-selector", 100, 900.0, 40.0) + "," + fanOut("single-threaded", 10, 300.0, 20.0) + "]",
                StandardCharsets.UTF_8);
    }

    private static String fanOut(String variant, int clients, double score, double error) {
        return """
                { "benchmark" : "dev.socketchat.bench.FanOutBenchmark.deliveries", "mode" : "thrpt",
                  "params" : { "clients" : "%d", "variant" : "%s" },
                  "primaryMetric" : { "score" : %s, "scoreError" : %s, "scoreUnit" : "ops/s" },
                  "secondaryMetrics" : { } }
                """.formatted(clients, variant, score, error);
    }
}

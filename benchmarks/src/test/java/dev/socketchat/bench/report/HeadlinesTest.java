package dev.socketchat.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Rounds are merged into a median; the headline figures are ratios to nio-selector in the same run,
 * memory per client is a slope; runs compare by their ratios' spread.
 */
class HeadlinesTest {

    @Test
    void roundsMergeIntoTheMedianOfEveryIterationSoOneNoisyRoundDoesNotMoveIt() {
        List<Report.Result> rounds = new ArrayList<>();
        rounds.addAll(Report.parse("[" + roundTrips("nio-selector", 100, "[[100.0, 102.0, 98.0]]") + "]"));
        rounds.addAll(Report.parse("[" + roundTrips("nio-selector", 100, "[[30.0, 101.0, 99.0]]") + "]"));

        assertThat(Report.merge(rounds)).singleElement().satisfies(merged -> {
            assertThat(merged.score().score()).isEqualTo(99.5);
            assertThat(merged.trials()).hasSize(6);
        });
    }

    @Test
    void iterationsTheHypervisorTookMoreThanFivePercentOfTheCpuFromAreSetAsideWhileThreeRemain() {
        List<Report.Result> rounds = new ArrayList<>();
        // Two rounds of three: the second lost a quarter of the CPU in two of its iterations.
        rounds.addAll(Report.parse("[" + roundTrips("netty", 100, "[[100.0, 104.0, 96.0]]", "[[0.0, 1.0, 4.9]]") + "]"));
        rounds.addAll(Report.parse("[" + roundTrips("netty", 100, "[[50.0, 52.0, 98.0]]", "[[25.0, 26.0, 0.5]]") + "]"));

        assertThat(Report.merge(rounds)).singleElement().satisfies(merged -> {
            assertThat(merged.trials()).hasSize(6);
            assertThat(merged.score().score()).as("the median of 96, 98, 100, 104").isEqualTo(99.0);
        });

        // Fewer than three unstolen iterations: the three least stolen make the median.
        List<Report.Trial> mostlyStolen = List.of(new Report.Trial(50, 25), new Report.Trial(60, 20),
                new Report.Trial(70, 10), new Report.Trial(100, 1));
        assertThat(Report.counted(mostlyStolen)).containsExactly(60.0, 70.0, 100.0);
    }

    @Test
    void headlinesAreRatiosToNioSelectorAndMemoryPerClientIsTheSlopeBetweenTheSmallestAndLargestLevels(@TempDir Path dir)
            throws IOException {
        writeRun(dir, 200.0, 10.0);
        List<Headlines> headlines = Headlines.of(Report.read(dir));

        Map<String, Map<String, java.util.OptionalDouble>> ratios = Headlines.ratios(headlines);
        assertThat(ratios.get("thread-per-client").get("round trips").getAsDouble()).isEqualTo(0.5);
        // 250 MiB more for 9,000 more clients: 28.44 KiB each, whatever the level in between says.
        assertThat(headlines).filteredOn(h -> h.variant().equals("thread-per-client")).singleElement()
                .satisfies(h -> assertThat(h.kibPerClient().getAsDouble()).isCloseTo(28.444, within(0.001)));
        assertThat(Headlines.table(headlines)).contains("thread-per-client", "0.50", "1,000→10,000");
    }

    @Test
    void whereTwoVariantsIntervalsOverlapTheTableSaysTieInsteadOfARatio(@TempDir Path dir) throws IOException {
        RunInfo run = new RunInfo("2026-12-07", "quick", "test", RunInfo.Machine.current(), "25",
                List.of(new RunInfo.Variant("thread-per-client", 2, "two"), new RunInfo.Variant("virtual-threads", 5, "five"),
                        new RunInfo.Variant("nio-selector", 4, "four")),
                List.of("request-response"), List.of(), 1, "not pinned", null);
        run.write(dir);
        Files.writeString(dir.resolve("results.json"), "["
                // 95 ± 10 reaches 100 ± 3: a tie, though its score is lower.
                + roundTrips("thread-per-client", 100, "[[95.0]]", 10.0) + ","
                // 80 ± 5 ends at 85, below 97: slower, and the ratio says by how much.
                + roundTrips("virtual-threads", 100, "[[80.0]]", 5.0) + ","
                + roundTrips("nio-selector", 100, "[[100.0]]", 3.0) + "]", StandardCharsets.UTF_8);

        String table = Headlines.table(Headlines.of(Report.read(dir)));

        assertThat(table).containsPattern("thread-per-client +95 +tie ");
        assertThat(table).doesNotContain("0.95");
        assertThat(table).containsPattern("virtual-threads +80 +0\\.80 ");
        assertThat(table).containsPattern("nio-selector +100 +1\\.00 ");
    }

    @Test
    void theCostTableShowsWhatTheServerSpentBesideThroughputAndNaWhereNothingWasCounted(@TempDir Path dir)
            throws IOException {
        new RunInfo("2026-12-07", "quick", "test", RunInfo.Machine.current(), "25",
                List.of(new RunInfo.Variant("thread-per-client", 2, "two"), new RunInfo.Variant("nio-selector", 4, "four")),
                List.of("request-response"), List.of(), 1, "not pinned", "perf stat").write(dir);
        String cpu = "\"cost.cpu\" : { \"score\" : 7.25, \"scoreError\" : \"NaN\", \"scoreUnit\" : \"us/msg\" }";
        String switches = "\"cost.switches\" : { \"score\" : 0.0021, \"scoreError\" : \"NaN\", \"scoreUnit\" : \"x\" }";
        Files.writeString(dir.resolve("results.json"), "["
                + roundTrips("thread-per-client", 100, "[[100.0]]").replace("\"secondaryMetrics\" : { }",
                        "\"secondaryMetrics\" : { " + cpu + " }") + ","
                + roundTrips("nio-selector", 100, "[[200.0]]").replace("\"secondaryMetrics\" : { }",
                        "\"secondaryMetrics\" : { " + switches + " }") + "]", StandardCharsets.UTF_8);

        String table = Headlines.costTable(Report.read(dir));

        assertThat(table).contains("request-response at 100 clients: what the server spent per round trip",
                "costs counted by: perf stat");
        assertThat(table).containsPattern("thread-per-client +100 +7\\.25 +n/a +n/a +n/a +n/a +n/a");
        assertThat(table).as("an event loop's few switches keep their digits")
                .containsPattern("nio-selector +200 +n/a +n/a +n/a +n/a +0\\.0021 +n/a");
    }

    @Test
    void intervalsThatTouchTieAndAValueWithoutAnIntervalTiesWithEverything() {
        Report.Value reference = new Report.Value(100, 3);

        assertThat(new Report.Value(90, 7).ties(reference)).as("97 meets 97").isTrue();
        assertThat(new Report.Value(90, 6.9).ties(reference)).isFalse();
        assertThat(new Report.Value(110, 7).ties(reference)).as("103 meets 103").isTrue();
        assertThat(new Report.Value(90, Double.NaN).ties(reference)).as("one iteration supports no order").isTrue();
        assertThat(new Report.Value(5, 20).low()).as("an interval stops at zero").isZero();
    }

    @Test
    void theSlopeStopsAtTenThousandClientsSoARunWithNineteenThousandComparesWithAQuickOne(@TempDir Path dir)
            throws IOException {
        writeRun(dir, 200.0, 10.0);
        Files.writeString(dir.resolve("more.json"), "[" + capacity("thread-per-client", 19_000, 2_000) + "]",
                StandardCharsets.UTF_8);

        assertThat(Headlines.of(Report.read(dir))).filteredOn(h -> h.variant().equals("thread-per-client"))
                .singleElement()
                .satisfies(h -> assertThat(h.kibPerClient().getAsDouble()).isCloseTo(28.444, within(0.001)));
    }

    @Test
    void comparingRunsPrintsEachRunsRatioAndTheSpread(@TempDir Path dir) throws IOException {
        Path first = Files.createDirectories(dir.resolve("one"));
        Path second = Files.createDirectories(dir.resolve("two"));
        writeRun(first, 200.0, 10.0);
        writeRun(second, 220.0, 10.0);

        String comparison = Comparison.of(List.of(first, second));

        // 0.50 then 100/220 = 0.45: a spread of 0.045 around a median of 0.477, 9.5%.
        assertThat(comparison).containsPattern("thread-per-client +round trips +0\\.50 +0\\.45 +9\\.5%");
        assertThat(comparison).contains("widest spread: 9.5% (thread-per-client, round trips)");
        assertThat(Comparison.spread(List.of(1.0))).isEqualTo("–");
    }

    private static void writeRun(Path dir, double nioRoundTrips, double nioMiBGrowth) throws IOException {
        RunInfo run = new RunInfo("2026-11-28", "quick", "test", RunInfo.Machine.current(), "25",
                List.of(new RunInfo.Variant("thread-per-client", 2, "two"), new RunInfo.Variant("nio-selector", 4, "four")),
                List.of("request-response", "capacity"), List.of(), 1, "not pinned", null);
        run.write(dir);
        Files.writeString(dir.resolve("results.json"), "["
                + roundTrips("thread-per-client", 100, "[[100.0]]") + ","
                + roundTrips("nio-selector", 100, "[[" + nioRoundTrips + "]]") + ","
                + capacity("thread-per-client", 1_000, 150) + "," + capacity("thread-per-client", 5_000, 300) + ","
                + capacity("thread-per-client", 10_000, 400) + ","
                + capacity("nio-selector", 5_000, 100) + "," + capacity("nio-selector", 10_000, 100 + nioMiBGrowth)
                + "]", StandardCharsets.UTF_8);
    }

    /** A round with an error of 1% of its score: narrow enough that these tests' variants do not tie. */
    private static String roundTrips(String variant, int clients, String rawData) {
        return roundTrips(variant, clients, rawData, mean(rawData) / 100);
    }

    private static String roundTrips(String variant, int clients, String rawData, double error) {
        return """
                { "benchmark" : "dev.socketchat.bench.RequestResponseBenchmark.roundTrips", "mode" : "thrpt",
                  "params" : { "clients" : "%d", "variant" : "%s" },
                  "primaryMetric" : { "score" : %s, "scoreError" : %s, "scoreUnit" : "ops/s", "rawData" : %s },
                  "secondaryMetrics" : { } }
                """.formatted(clients, variant, mean(rawData), error, rawData);
    }

    /** A round whose profiler recorded the hypervisor's share of each iteration, as {@code MetricsProfiler} does. */
    private static String roundTrips(String variant, int clients, String rawData, String stolenRawData) {
        return """
                { "benchmark" : "dev.socketchat.bench.RequestResponseBenchmark.roundTrips", "mode" : "thrpt",
                  "params" : { "clients" : "%d", "variant" : "%s" },
                  "primaryMetric" : { "score" : %s, "scoreError" : "NaN", "scoreUnit" : "ops/s", "rawData" : %s },
                  "secondaryMetrics" : { "machine.steal" : { "score" : %s, "scoreError" : "NaN", "scoreUnit" : "%%",
                                                             "rawData" : %s } } }
                """.formatted(clients, variant, mean(rawData), rawData, mean(stolenRawData), stolenRawData);
    }

    /** What JMH reports as the score of a single round: the mean of its iterations. */
    private static double mean(String rawData) {
        return java.util.Arrays.stream(rawData.replaceAll("[\\[\\]]", "").split(","))
                .mapToDouble(v -> Double.parseDouble(v.strip())).average().orElseThrow();
    }

    private static String capacity(String variant, int clients, double rssMiB) {
        return """
                { "benchmark" : "dev.socketchat.bench.CapacityBenchmark.acceptAll", "mode" : "ss",
                  "params" : { "clients" : "%d", "variant" : "%s" },
                  "primaryMetric" : { "score" : 10.0, "scoreError" : "NaN", "scoreUnit" : "ms" },
                  "secondaryMetrics" : { "clients.held" : { "score" : %d, "scoreError" : "NaN", "scoreUnit" : "clients" },
                                         "server.rss" : { "score" : %s, "scoreError" : "NaN", "scoreUnit" : "MiB" } } }
                """.formatted(clients, variant, clients, rssMiB);
    }
}

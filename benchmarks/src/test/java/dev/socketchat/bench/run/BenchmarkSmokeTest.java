package dev.socketchat.bench.run;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.socketchat.bench.BenchVariants;
import dev.socketchat.bench.Metrics;
import dev.socketchat.bench.MetricsProfiler;
import dev.socketchat.bench.SyscallCounter;
import dev.socketchat.bench.Workload;
import dev.socketchat.bench.report.Report;
import dev.socketchat.bench.report.Summary;
import dev.socketchat.server.ServerModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every benchmark once, at a tiny size, through the same runner and report as {@code bench}:
 * a benchmark that no longer starts, connects or publishes its metrics fails the build instead of
 * rotting until the next real run. It measures nothing.
 */
class BenchmarkSmokeTest {

    @TempDir
    Path temp;

    /**
     * One run of two variants, so that the summary is checked for two models; the costs are counted
     * over the same iterations as throughput, so a benchmark that stops publishing them fails here.
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void everyBenchmarkRunsOnceCountsTheServersCostsAndTheReportDrawsIt() throws Exception {
        List<String> variants = variantsServingEveryLevel().subList(0, 2);

        Path run = BenchCommand.measure(Profile.SMOKE, variants, List.of(Workload.values()), temp.resolve("results"));
        Report.write(run, temp.resolve("docs"));

        for (String variant : variants) {
            for (Workload workload : Workload.values()) {
                assertThat(result(run, workload, variant).getAsJsonObject("primaryMetric").get("score").getAsDouble())
                        .as(workload.id() + " " + variant)
                        .isPositive();
            }
            assertThat(secondary(run, Workload.REQUEST_RESPONSE, variant).keySet())
                    .contains(Metrics.Names.P50, Metrics.Names.P99, Metrics.Names.P999);
            JsonObject capacity = secondary(run, Workload.CAPACITY, variant);
            assertThat(score(capacity, Metrics.Names.HELD)).isEqualTo(10.0);
            assertThat(score(capacity, Metrics.Names.RSS)).isPositive();
            assertThat(score(capacity, Metrics.Names.THREADS)).isPositive();
        }
        assertEveryFigureOfTheSummaryIsThere(run, variants);
        // JMH's own output went to the log beside the results, not to the terminal.
        assertThat(temp.resolve("results")).isDirectoryContaining("glob:**/bench-*.log");
        List<String> charts = new java.util.ArrayList<>(List.of(
                "request-response-throughput.png", "request-response-latency.png", "fan-out-throughput.png",
                "capacity-memory.png", "capacity-threads.png", "capacity-accept-time.png"));
        try (var drawn = Files.list(temp.resolve("docs").resolve("benchmarks"))) {
            assertThat(drawn.map(p -> p.getFileName().toString())).containsAll(charts);
        }
        try (var drawn = Files.list(run.resolve("charts"))) {
            assertThat(drawn.map(p -> p.getFileName().toString())).as("the run keeps its own charts").containsAll(charts);
        }
        String markdown = Files.readString(temp.resolve("docs").resolve("benchmarks.md"));
        for (String variant : variants) {
            assertThat(markdown).contains("| " + variant + " | 2 |", "| " + variant + " | 3 |",
                    "| " + variant + " | 10 | all |");
        }
    }

    /**
     * Every field of every request/response and fan-out object is there and non-zero, but for the
     * system calls of a machine without perf, which are null ("n/a"), never 0.
     */
    private static void assertEveryFigureOfTheSummaryIsThere(Path run, List<String> variants) throws IOException {
        JsonObject summary = JsonParser.parseString(Files.readString(run.resolve(Summary.FILE))).getAsJsonObject();
        boolean perf = SyscallCounter.available();
        var results = summary.getAsJsonArray("results");
        assertThat(results).hasSize(2 * variants.size());
        for (var element : results) {
            JsonObject result = element.getAsJsonObject();
            String which = result.get("variant").getAsString() + " " + result.get("workload").getAsString();
            for (String field : List.of("clients", "throughput", "throughput_low", "throughput_high", "p99_us",
                    "cpu_us_per_msg", "reads_per_msg", "writes_per_msg", "context_switches_per_msg",
                    "bytes_allocated_per_msg")) {
                if (field.equals("p99_us") && result.get("workload").getAsString().equals("fan-out")) {
                    continue; // fan-out measures deliveries, not round trips: it has no latency
                }
                assertThat(result.get(field).isJsonNull()).as(which + ": " + field + " is missing").isFalse();
                assertThat(result.get(field).getAsDouble()).as(which + ": " + field).isPositive();
            }
            if (perf) {
                assertThat(result.get("syscalls_per_msg").getAsDouble()).as(which + ": syscalls_per_msg").isPositive();
            } else {
                assertThat(result.get("syscalls_per_msg").isJsonNull()).as(which + ": no perf, no count").isTrue();
            }
        }
        assertThat(summary.get("counters").getAsString()).startsWith(perf ? "perf" : "/proc");
    }

    /** The one result JMH wrote for {@code workload}, as it wrote it. */
    private static JsonObject result(Path run, Workload workload, String variant) throws IOException {
        var results = JsonParser.parseString(Files.readString(run.resolve(workload.id() + "-" + variant + ".json")))
                .getAsJsonArray();
        assertThat(results).as(workload.id()).hasSize(1);
        return results.get(0).getAsJsonObject();
    }

    /** The values the benchmark published through {@link MetricsProfiler}, by name. */
    private static JsonObject secondary(Path run, Workload workload, String variant) throws IOException {
        return result(run, workload, variant).getAsJsonObject("secondaryMetrics");
    }

    private static double score(JsonObject metrics, String name) {
        assertThat(metrics.has(name)).as(name).isTrue();
        return metrics.getAsJsonObject(name).get("score").getAsDouble();
    }

    /** The smoke run needs variants that serve several clients at once: they exercise every workload. */
    private static List<String> variantsServingEveryLevel() {
        return BenchVariants.all().stream()
                .filter(model -> Profile.SMOKE.levels().entrySet().stream()
                        .allMatch(level -> level.getKey().whyNot(model, level.getValue().getFirst()).isEmpty()))
                .map(ServerModel::name)
                .toList();
    }
}

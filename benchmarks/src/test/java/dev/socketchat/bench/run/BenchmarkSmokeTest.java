package dev.socketchat.bench.run;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.socketchat.bench.BenchVariants;
import dev.socketchat.bench.Metrics;
import dev.socketchat.bench.MetricsProfiler;
import dev.socketchat.bench.Workload;
import dev.socketchat.bench.report.Report;
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

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void everyBenchmarkRunsOnceAndTheReportDrawsIt() throws Exception {
        String variant = firstVariantServingEveryLevel();

        Path run = BenchCommand.measure(Profile.SMOKE, List.of(variant), List.of(Workload.values()), temp.resolve("results"));
        Report.write(run, temp.resolve("docs"));

        for (Workload workload : Workload.values()) {
            assertThat(result(run, workload, variant).getAsJsonObject("primaryMetric").get("score").getAsDouble())
                    .as(workload.id())
                    .isPositive();
        }
        // JMH's own output went to the log beside the results, not to the terminal.
        assertThat(temp.resolve("results")).isDirectoryContaining("glob:**/bench-*.log");
        try (var charts = Files.list(temp.resolve("docs").resolve("benchmarks"))) {
            assertThat(charts.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "request-response-throughput.png", "request-response-latency.png", "fan-out-throughput.png",
                    "capacity-memory.png", "capacity-threads.png", "capacity-accept-time.png");
        }
        String markdown = Files.readString(temp.resolve("docs").resolve("benchmarks.md"));
        assertThat(markdown).contains("| " + variant + " | 2 |", "| " + variant + " | 3 |", "| " + variant + " | 10 | all |");
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void latencyAndServerCostsArePublishedAsResults() throws Exception {
        String variant = firstVariantServingEveryLevel();

        Path run = BenchCommand.measure(Profile.SMOKE, List.of(variant),
                List.of(Workload.REQUEST_RESPONSE, Workload.CAPACITY), temp.resolve("results"));

        assertThat(secondary(run, Workload.REQUEST_RESPONSE, variant).keySet())
                .contains(Metrics.Names.P50, Metrics.Names.P99, Metrics.Names.P999);
        JsonObject capacity = secondary(run, Workload.CAPACITY, variant);
        assertThat(score(capacity, Metrics.Names.HELD)).isEqualTo(10.0);
        assertThat(score(capacity, Metrics.Names.RSS)).isPositive();
        assertThat(score(capacity, Metrics.Names.THREADS)).isPositive();
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

    /** The smoke run needs one variant; one that serves several clients at once exercises every workload. */
    private static String firstVariantServingEveryLevel() {
        return BenchVariants.all().stream()
                .filter(model -> Profile.SMOKE.levels().entrySet().stream()
                        .allMatch(level -> level.getKey().whyNot(model, level.getValue().getFirst()).isEmpty()))
                .map(ServerModel::name)
                .findFirst()
                .orElseThrow();
    }
}

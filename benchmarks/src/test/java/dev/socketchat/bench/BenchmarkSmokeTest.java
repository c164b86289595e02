package dev.socketchat.bench;

import dev.socketchat.server.ServerModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
        Report report = Report.read(run);
        Report.write(run, temp.resolve("docs"));

        for (Workload workload : Workload.values()) {
            assertThat(Report.parse(Files.readString(run.resolve(workload.id() + "-" + variant + ".json"))))
                    .as(workload.id())
                    .singleElement()
                    .satisfies(result -> assertThat(result.score().score()).isPositive());
        }
        assertThat(report.charts()).hasSize(6);
        // JMH's own output went to the log beside the results, not to the terminal.
        assertThat(temp.resolve("results")).isDirectoryContaining("glob:**/bench-*.log");
        try (var charts = Files.list(temp.resolve("docs").resolve(Report.CHARTS))) {
            assertThat(charts.map(p -> p.getFileName().toString())).contains(
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
        List<Report.Result> results = Report.read(run).results();

        assertThat(results).filteredOn(r -> r.workload() == Workload.REQUEST_RESPONSE).singleElement()
                .satisfies(r -> assertThat(r.secondary()).containsKeys(
                        Metrics.Names.P50, Metrics.Names.P99, Metrics.Names.P999));
        assertThat(results).filteredOn(r -> r.workload() == Workload.CAPACITY).singleElement()
                .satisfies(r -> {
                    assertThat(r.metric(Metrics.Names.HELD).orElseThrow().score()).isEqualTo(10.0);
                    assertThat(r.metric(Metrics.Names.RSS).orElseThrow().score()).isPositive();
                    assertThat(r.metric(Metrics.Names.THREADS).orElseThrow().score()).isPositive();
                });
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

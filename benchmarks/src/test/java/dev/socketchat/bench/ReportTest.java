package dev.socketchat.bench;

import org.junit.jupiter.api.Test;

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
}

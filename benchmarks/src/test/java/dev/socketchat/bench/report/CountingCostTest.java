package dev.socketchat.bench.report;

import dev.socketchat.bench.Workload;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.socketchat.bench.report.Report.Counting.ALWAYS;
import static dev.socketchat.bench.report.Report.Counting.COUNTED;
import static dev.socketchat.bench.report.Report.Counting.UNCOUNTED;
import static org.assertj.core.api.Assertions.assertThat;

class CountingCostTest {

    /** Two rounds of four iterations, merged: counted, uncounted, counted, uncounted, twice. */
    @Test
    void eachCountedIterationIsComparedWithTheUncountedOneAfterIt() {
        Report.Result result = result(List.of(
                new Report.Trial(96, 0, COUNTED), new Report.Trial(100, 0, UNCOUNTED),
                new Report.Trial(150, 0, COUNTED), new Report.Trial(150, 0, UNCOUNTED),
                new Report.Trial(99, 0, COUNTED), new Report.Trial(100, 0, UNCOUNTED),
                new Report.Trial(60, 0, COUNTED), new Report.Trial(50, 0, UNCOUNTED)));

        CountingCost cost = CountingCost.of(result).orElseThrow();

        assertThat(cost.pairs()).isEqualTo(4);
        assertThat(cost.median()).as("median of 0.96, 0.99, 1.0, 1.2").isCloseTo(0.995, within());
        assertThat(cost.lowest()).isCloseTo(0.96, within());
        assertThat(cost.highest()).isCloseTo(1.2, within());
    }

    @Test
    void aPairWithAStolenSecondIsLeftOutAndAnUnpairedIterationIsNeverPaired() {
        Report.Result result = result(List.of(
                new Report.Trial(50, 30, COUNTED), new Report.Trial(100, 0, UNCOUNTED),
                new Report.Trial(90, 0, UNCOUNTED), new Report.Trial(98, 0, COUNTED),
                new Report.Trial(100, 0, UNCOUNTED), new Report.Trial(97, 0, COUNTED)));

        CountingCost cost = CountingCost.of(result).orElseThrow();

        assertThat(cost.pairs()).as("only 98 over 100: the first pair was stolen, 90 and 97 have no partner")
                .isEqualTo(1);
        assertThat(cost.median()).isCloseTo(0.98, within());
    }

    @Test
    void aRunCountedThroughoutHasNoCountingCost() {
        Report.Result result = result(List.of(new Report.Trial(100, 0, ALWAYS), new Report.Trial(90, 0, ALWAYS)));

        assertThat(CountingCost.of(result)).isEmpty();
        assertThat(CountingCost.table(List.of())).isEmpty();
    }

    @Test
    void theTableSaysWhatItCompares() {
        String table = CountingCost.table(List.of(
                new CountingCost(Workload.FAN_OUT, "nio-selector", 100, 15, 0.987, 0.91, 1.04)));

        assertThat(table).contains("throughput of each counted iteration over the uncounted one after it")
                .contains("nio-selector").contains("fan-out").contains("0.987").contains("0.910 -  1.040");
    }

    /**
     * As JMH writes a --counting-cost fork: the counted flag in every iteration, the allocation count
     * in every other one, and a score for it that JMH divided by all four iterations.
     */
    @Test
    void aRunsOwnJsonGivesEachIterationsCountingAndTheCountsOfTheCountedOnes() {
        String json = """
                [ { "benchmark" : "dev.socketchat.bench.FanOutBenchmark.deliveries", "mode" : "thrpt",
                    "params" : { "clients" : "100", "variant" : "nio-selector" },
                    "primaryMetric" : { "score" : 100.0, "scoreError" : "NaN", "scoreUnit" : "ops/s",
                                        "rawData" : [[99.0, 100.0, 101.0, 100.0]] },
                    "secondaryMetrics" : {
                      "cost.counted" : { "score" : 0.5, "scoreError" : "NaN", "scoreUnit" : "counted",
                                         "rawData" : [[1.0, 0.0, 1.0, 0.0]] },
                      "cost.allocated" : { "score" : 35.0, "scoreError" : "NaN", "scoreUnit" : "B/msg",
                                           "rawData" : [[69.0, 71.0]] } } } ]
                """;

        Report.Result result = Report.parse(json).getFirst();

        assertThat(result.trials()).extracting(Report.Trial::counting)
                .containsExactly(COUNTED, UNCOUNTED, COUNTED, UNCOUNTED);
        assertThat(result.metric("cost.allocated").orElseThrow().score())
                .as("the mean of the iterations that counted, not JMH's score over all four").isEqualTo(70.0);
        assertThat(CountingCost.of(result).orElseThrow().median()).isCloseTo((0.99 + 101.0 / 100) / 2, within());
    }

    private static Report.Result result(List<Report.Trial> trials) {
        return new Report.Result(Workload.FAN_OUT, "nio-selector", 100, new Report.Value(100, 1), "ops/s",
                Map.of(), trials);
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }
}

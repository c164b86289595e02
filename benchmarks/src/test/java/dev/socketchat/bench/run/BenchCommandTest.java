package dev.socketchat.bench.run;

import dev.socketchat.bench.CpuPinning;
import dev.socketchat.bench.ServerCosts;
import dev.socketchat.bench.Workload;
import dev.socketchat.bench.report.RunInfo;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.RunnerException;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A run's plan: rounds after the first measure the headline level again, with the variants in
 * another order, so that a burst of noise lands on one trial of several variants.
 */
class BenchCommandTest {

    @Test
    void laterRoundsMeasureOnlyTheHeadlineLevelWithTheVariantsInAnotherOrder() {
        List<RunInfo.Skip> skipped = new ArrayList<>();
        List<BenchCommand.Step> steps = BenchCommand.plan(Profile.QUICK,
                List.of("thread-per-client", "nio-selector", "virtual-threads"), List.of(Workload.values()), skipped);

        assertThat(steps).filteredOn(s -> s.round() == 1 && s.workload() == Workload.REQUEST_RESPONSE)
                .extracting(BenchCommand.Step::variant)
                .containsExactly("thread-per-client", "nio-selector", "virtual-threads");
        assertThat(steps).filteredOn(s -> s.round() == 2 && s.workload() == Workload.REQUEST_RESPONSE)
                .extracting(BenchCommand.Step::variant)
                .containsExactly("nio-selector", "virtual-threads", "thread-per-client");
        assertThat(steps).filteredOn(s -> s.round() > 1)
                .allSatisfy(s -> assertThat(s.levels()).containsExactly("100"))
                .noneMatch(s -> s.workload() == Workload.CAPACITY)
                .extracting(BenchCommand.Step::file).allMatch(f -> f.endsWith("-r2.json") || f.endsWith("-r3.json"));
        assertThat(steps).filteredOn(s -> s.round() == 1).extracting(BenchCommand.Step::file)
                .contains("capacity-nio-selector.json");
        assertThat(skipped).isEmpty();
    }

    @Test
    void everyForkIsToldTheServersCpusAndWhetherToAlternateCounting() {
        for (Profile profile : List.of(Profile.QUICK, Profile.QUICK.withCountingCost())) {
            Collection<String> properties = BenchCommand.options(profile, Workload.FAN_OUT, "nio-selector",
                    List.of("100"), Path.of("fan-out.json"), Optional.of("1")).getJvmArgsAppend().get();

            assertThat(properties).as(profile.name())
                    .contains("-D" + BenchCommand.UNSAFE_ACCESS, "-D" + CpuPinning.SERVER_CPUS + "=1");
        }
        assertThat(BenchCommand.options(Profile.QUICK.withCountingCost(), Workload.FAN_OUT, "nio-selector",
                List.of("100"), Path.of("fan-out.json"), Optional.of("1")).getJvmArgsAppend().get())
                .contains("-D" + ServerCosts.SWITCH + "=" + ServerCosts.ALTERNATE);
        assertThat(Profile.QUICK.withCountingCost().iterations()).as("pairs of iterations").isEqualTo(10);
        assertThat(Profile.FULL.withCountingCost().iterations()).isEven();
    }

    @Test
    void aQuickRunMeasuresTheHeadlineLevelAndTheDocsRunAddsEveryLevelTheDocsChartToItsFirstRound() {
        List<String> variants = List.of("nio-selector", "netty");
        List<BenchCommand.Step> quick = BenchCommand.plan(Profile.QUICK, variants,
                List.of(Workload.REQUEST_RESPONSE, Workload.FAN_OUT), new ArrayList<>());
        List<BenchCommand.Step> docs = BenchCommand.plan(Profile.QUICK.forDocs(), variants,
                List.of(Workload.REQUEST_RESPONSE, Workload.FAN_OUT), new ArrayList<>());

        assertThat(quick).hasSize(2 * 2 * 3).allSatisfy(s -> assertThat(s.levels()).containsExactly("100"));
        assertThat(docs).filteredOn(s -> s.round() == 1 && s.workload() == Workload.REQUEST_RESPONSE)
                .allSatisfy(s -> assertThat(s.levels()).containsExactly("1", "100", "1000"));
        assertThat(docs).filteredOn(s -> s.round() == 1 && s.workload() == Workload.FAN_OUT)
                .allSatisfy(s -> assertThat(s.levels()).containsExactly("10", "100", "1000"));
        assertThat(docs).filteredOn(s -> s.round() > 1).hasSize(2 * 2 * 2)
                .allSatisfy(s -> assertThat(s.levels()).containsExactly("100"));
        assertThat(Profile.QUICK.forDocs().name()).isEqualTo("quick --update-docs");
        assertThat(Profile.QUICK.forDocs().describe()).contains("request/response 1, 100, 1,000")
                .contains("capacity 1,000, 5,000, 10,000, 19,000");
    }

    @Test
    void aPlainRunMeasuresTheLessonsModelsAndTheDocsRunAddsTheExperimentsTheyQuote() {
        List<String> plain = BenchCommand.chooseVariants(null, false, false);
        List<String> docs = BenchCommand.chooseVariants(null, false, true);

        assertThat(plain).contains("nio-selector", "multi-reactor", "netty")
                .doesNotContain("nio-selector-one-write-per-frame", "multi-reactor-loops-1");
        assertThat(docs).containsAll(plain).contains("nio-selector-one-write-per-frame", "multi-reactor-loops-1",
                "multi-reactor-loops-2", "netty-shared-duplicates");
        assertThat(BenchCommand.chooseVariants(null, true, false)).isEqualTo(docs);
        assertThat(BenchCommand.chooseVariants(List.of("netty"), false, true)).containsExactly("netty");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchCommand.chooseVariants(List.of("netty"), true, false));
    }

    @Test
    void aRunRefusedBecauseAnotherHoldsJmhsLockSaysSoInOneLine() {
        var refused = new RunnerException("ERROR: Another JMH instance might be running. "
                + "Unable to acquire the JMH lock (/tmp/jmh.lock), exiting. Use -Djmh.ignoreLock=true to forcefully continue.");

        assertThat(BenchCommand.whyJmhStopped(refused))
                .isEqualTo("another benchmark run is going on (JMH's lock file is taken); wait for it to end");
        assertThat(BenchCommand.whyJmhStopped(new RunnerException("ERROR: fork failed\nmore")))
                .startsWith("JMH stopped: fork failed (").doesNotContain("\n");
    }

    @Test
    void aBadOptionIsOneLineAndStatusTwoNeverAStackTrace() throws Exception {
        for (List<String> args : List.of(List.of("--frobnicate"), List.of("--rounds", "0"), List.of("--rounds", "21"), List.of("--rounds", "x"),
                List.of("--variants", "no-such-model"), List.of("--workloads", "sleep"), List.of("--compare", "one"),
                List.of("--variants", "netty", "--experiments"), List.of("report"))) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();

            int status = BenchCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));

            assertThat(status).as(String.join(" ", args)).isEqualTo(2);
            assertThat(err.toString().lines()).as(String.join(" ", args)).singleElement()
                    .satisfies(line -> assertThat(line).startsWith("bench: ").doesNotContain("Exception"));
            assertThat(out.toString()).isEmpty();
        }
    }

    @Test
    void aBadOptionOfBenchClusterIsOneLineAndStatusTwoToo() throws Exception {
        for (List<String> args : List.of(List.of("cluster", "--bogus"), List.of("cluster", "--variant"),
                List.of("cluster", "--variant", "no-such-model"), List.of("cluster", "--results"))) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();

            int status = BenchCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));

            assertThat(status).as(String.join(" ", args)).isEqualTo(2);
            assertThat(err.toString().lines()).as(String.join(" ", args)).singleElement()
                    .satisfies(line -> assertThat(line).startsWith("bench cluster: ").endsWith("(see bench cluster --help)")
                            .doesNotContain("Exception"));
            assertThat(out.toString()).isEmpty();
        }
        StringWriter help = new StringWriter();
        assertThat(BenchCommand.run(List.of("cluster", "--help"), new PrintWriter(help, true),
                new PrintWriter(new StringWriter(), true))).isZero();
        assertThat(help.toString()).startsWith("Usage: bench cluster [--quick | --smoke]");
    }

    @Test
    void helpListsEveryOptionAndTheModels() throws Exception {
        StringWriter out = new StringWriter();

        int status = BenchCommand.run(List.of("--help"), new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));

        assertThat(status).isZero();
        assertThat(out.toString()).contains("--quick", "--full", "--smoke", "--variants", "--experiments", "--workloads",
                "--rounds", "--update-docs", "--counting-cost", "--results", "--docs", "--compare", "bench report",
                "bench cluster", "nio-selector", "multi-reactor-loops-1");
        assertThat(out.toString()).startsWith("Usage: bench [--quick").doesNotContainIgnoringCase("usage: usage");
        assertThat(out.toString().lines().limit(5)).allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(80));
    }
}

package dev.socketchat.bench.cluster;

import dev.socketchat.bench.report.RunInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ./chat bench cluster}: it runs, and lesson 09's figures are those of the committed cluster run. */
class ClusterBenchTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path results;

    /** A smoke run: a real Redis and four server processes, a few samples each; every figure is there. */
    @Test
    void aSmokeRunMeasuresEverySetupAndFillsEveryFigure() throws IOException {
        Path run = ClusterBench.measure(ClusterBench.Settings.SMOKE, "nio-selector", results, false);

        assertThat(run.getFileName().toString()).endsWith("-cluster");
        assertThat(run.resolve(RunInfo.FILE)).isRegularFile();
        ClusterBench.Run measured = ClusterFigures.read(run);
        for (ClusterBench.Setup setup : ClusterBench.Setup.values()) {
            assertThat(measured.latency(setup.id)).hasValueSatisfying(l -> assertThat(l.p50Micros()).isPositive());
            assertThat(measured.fanOut(setup.id)).hasValueSatisfying(f -> assertThat(f.framesPerSecond()).isPositive());
        }
        String filled = ClusterFigures.fill("<!-- bench-cluster:p99-us:two-servers --><!-- /bench-cluster --> µs", run, "x.md");
        assertThat(filled).matches("<!-- bench-cluster:p99-us:two-servers -->[\\d,]+<!-- /bench-cluster --> µs");
        assertThatThrownBy(() -> ClusterFigures.fill("<!-- bench-cluster:p99-us:three --><!-- /bench-cluster -->", run, "x.md"))
                .hasMessage("x.md: the run has no figure for <!-- bench-cluster:p99-us:three -->");
    }

    @Test
    void lessonNinesFiguresAreTheNewestCommittedClusterRunsFigures() throws IOException {
        Path readme = ROOT.resolve(ClusterFigures.README);
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        var run = ClusterFigures.latest(ROOT.resolve("benchmarks/results"));
        if (run.isEmpty()) {
            assertThat(ClusterFigures.MARKER.matcher(text).find()).as("figures in %s without a committed cluster run", readme)
                    .isFalse();
            return;
        }
        assertThat(text).as(readme + " (run ./chat bench cluster --update-docs to regenerate)")
                .isEqualTo(ClusterFigures.fill(text, run.get(), readme.toString()));
    }
}

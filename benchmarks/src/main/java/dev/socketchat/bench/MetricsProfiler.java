package dev.socketchat.bench;

import dev.socketchat.load.Proc;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Turns what a benchmark {@linkplain Metrics#publish published} during an iteration into JMH
 * secondary results, averaged over iterations and forks, with JMH's error estimate, and adds the
 * share of the machine's CPU time the hypervisor took during the iteration ({@link Proc.MachineCpu}), so
 * that the report can tell a slow server from a slow machine. The runner adds it to every run
 * ({@code -prof dev.socketchat.bench.MetricsProfiler} by hand).
 */
public final class MetricsProfiler implements InternalProfiler {

    private Optional<Proc.MachineCpu> atStart = Optional.empty();

    @Override
    public String getDescription() {
        return "Latency percentiles and server costs published by the socket chat benchmarks";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        Metrics.clear();
        atStart = Proc.machineCpu();
    }

    // JMH's InternalProfiler declares this method with the raw type Result; an override must match it.
    @SuppressWarnings("rawtypes")
    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
                                                       IterationParams iterationParams,
                                                       IterationResult result) {
        List<ScalarResult> results = new ArrayList<>(Metrics.drain().stream()
                .map(metric -> new ScalarResult(metric.name(), metric.value(), metric.unit(), AggregationPolicy.AVG))
                .toList());
        atStart.flatMap(start -> Proc.machineCpu().map(end -> end.stolenPercentSince(start))).ifPresent(stolen ->
                results.add(new ScalarResult(Metrics.Names.STEAL, stolen, "%", AggregationPolicy.AVG)));
        return results;
    }
}

package dev.socketchat.bench.run;

import dev.socketchat.bench.Workload;
import dev.socketchat.bench.report.Headlines;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How long and how often a run measures, and at which client counts.
 *
 * <p>{@link #QUICK} measures the figures the closing table shows, for every variant, in under ten
 * minutes on 2 cores: request/response and fan-out at the headline level ({@value Headlines#CLIENTS}
 * clients), in three rounds with the variants in another order each round, so that a burst of noise
 * from elsewhere hits one trial of several variants rather than all the trials of one (the report
 * takes the median of every measured iteration); and the two capacity levels that memory per idle
 * client is the slope between (1,000 and 10,000 clients). {@link #forDocs()} adds, in the first
 * round, the other levels the docs chart and quote. {@link #FULL} measures every level in three
 * forks with longer iterations.
 *
 * <p>Every fork warms up for five seconds before it measures: the server and the load generator
 * start cold in JVMs of their own, and on one CPU each the slowest of the models (Netty, virtual
 * threads, thread per client) reach their steady rate after four to five seconds of load (the
 * warm-up iterations in the run's log show it). A two-second warm-up measured them still climbing.
 *
 * @param name               {@code quick}, {@code full} or {@code smoke}, as the option that picks it;
 *                           {@code --update-docs} added where {@link #forDocs()} made it
 * @param forks              JVMs per combination for request/response and fan-out
 * @param warmupIterations   warm-up iterations per fork
 * @param warmupSeconds      length of each warm-up iteration
 * @param iterations         measured iterations per fork
 * @param iterationSeconds   length of each measured iteration
 * @param capacityForks      single shots per capacity combination, each with a fresh server
 * @param levels             client counts per workload
 * @param rounds             passes over the variants; rounds after the first measure the headline level only
 * @param countingCost       whether every other measured iteration leaves the counters inside the server out,
 *                           to measure what counting costs ({@code --counting-cost})
 */
record Profile(String name, int forks, int warmupIterations, int warmupSeconds, int iterations,
               int iterationSeconds, int capacityForks, Map<Workload, List<Integer>> levels, int rounds,
               boolean countingCost) {

    /** The fewest measured iterations of a {@code --counting-cost} run: five pairs. */
    static final int COUNTING_COST_ITERATIONS = 10;

    private static final Map<Workload, List<Integer>> LEVELS = Map.of(
            Workload.REQUEST_RESPONSE, List.of(1, 100, 1_000),
            Workload.FAN_OUT, List.of(10, 100, 1_000),
            Workload.CAPACITY, List.of(1_000, 5_000, 10_000));

    static final Profile QUICK = new Profile("quick", 1, 5, 1, 3, 1, 1, Map.of(
            Workload.REQUEST_RESPONSE, List.of(Headlines.CLIENTS),
            Workload.FAN_OUT, List.of(Headlines.CLIENTS),
            Workload.CAPACITY, List.of(1_000, Headlines.SLOPE_TOP)), 3, false);

    /**
     * Adds a capacity level close to what one process may open here: 19,000 clients under a limit of
     * 20,000 open files, for the load generator and the server alike. Not in the quick run: accepting
     * 19,000 clients into a thread-per-client server takes minutes on 2 cores; the docs run has it.
     */
    static final Profile FULL = new Profile("full", 3, 3, 5, 5, 5, 3, Map.of(
            Workload.REQUEST_RESPONSE, LEVELS.get(Workload.REQUEST_RESPONSE),
            Workload.FAN_OUT, LEVELS.get(Workload.FAN_OUT),
            Workload.CAPACITY, List.of(1_000, 5_000, 10_000, 19_000)), 1, false);

    /**
     * Every benchmark once at a tiny size: proves that each still runs, measures nothing. Two
     * iterations, so that JMH has an error and every result an interval.
     */
    static final Profile SMOKE = new Profile("smoke", 1, 0, 1, 2, 1, 1, Map.of(
            Workload.REQUEST_RESPONSE, List.of(2),
            Workload.FAN_OUT, List.of(3),
            Workload.CAPACITY, List.of(10)), 1, false);

    /** The smoke profile checks that the benchmarks run; it measures nothing, so nothing is pinned or logged. */
    boolean isSmoke() {
        return name.equals(SMOKE.name);
    }

    /** The same settings with another number of rounds. */
    Profile withRounds(int newRounds) {
        return new Profile(name, forks, warmupIterations, warmupSeconds, iterations, iterationSeconds, capacityForks,
                levels, newRounds, countingCost);
    }

    /**
     * The same settings with every other measured iteration uncounted inside the server, and at least
     * {@value #COUNTING_COST_ITERATIONS} of them, an even number: each counted iteration is paired
     * with the uncounted one after it ({@code --counting-cost}).
     */
    Profile withCountingCost() {
        int paired = Math.max(COUNTING_COST_ITERATIONS, iterations + iterations % 2);
        return new Profile(name + " --counting-cost", forks, warmupIterations, warmupSeconds, paired,
                iterationSeconds, capacityForks, levels, rounds, true);
    }

    /**
     * What {@code --update-docs} measures: these settings, with every level the docs chart and quote
     * added to the first round, 19,000 idle clients included.
     */
    Profile forDocs() {
        Map<Workload, List<Integer>> every = new EnumMap<>(Workload.class);
        for (Workload workload : Workload.values()) {
            every.put(workload, Stream.concat(levels.get(workload).stream(), FULL.levels.get(workload).stream())
                    .distinct().sorted().toList());
        }
        return new Profile(name + " --update-docs", forks, warmupIterations, warmupSeconds, iterations,
                iterationSeconds, capacityForks, every, rounds, countingCost);
    }

    /** The settings as one line, for the report. */
    String describe() {
        return String.format(Locale.ROOT, "request/response and fan-out: %d fork%s, %d × %d s warm-up, %d × %d s measured, "
                        + "%d round%s (interleaved; later rounds at %d clients only; median of all iterations); "
                        + "capacity: %d single shot%s, each on a fresh server; levels: request/response %s, "
                        + "fan-out %s, capacity %s",
                forks, forks == 1 ? "" : "s", warmupIterations, warmupSeconds, iterations, iterationSeconds,
                rounds, rounds == 1 ? "" : "s", Headlines.CLIENTS, capacityForks, capacityForks == 1 ? "" : "s",
                levelsOf(Workload.REQUEST_RESPONSE), levelsOf(Workload.FAN_OUT), levelsOf(Workload.CAPACITY));
    }

    private String levelsOf(Workload workload) {
        return levels.get(workload).stream().map(n -> String.format(Locale.ROOT, "%,d", n))
                .collect(Collectors.joining(", "));
    }
}

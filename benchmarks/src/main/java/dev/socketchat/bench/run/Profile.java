package dev.socketchat.bench.run;

import dev.socketchat.bench.Workload;
import dev.socketchat.bench.report.Headlines;

import java.util.List;
import java.util.Map;

/**
 * How long and how often a run measures, and at which client counts.
 *
 * <p>{@link #QUICK} compares every variant on every workload in a few minutes on 2 cores. Its first
 * round measures every level; further rounds measure again the headline level
 * ({@value Headlines#CLIENTS} clients) of request/response and fan-out, with the variants in another
 * order each round, so that a burst of noise from elsewhere hits one trial of several variants
 * rather than all the trials of one; the report takes the median of every measured iteration.
 * {@link #FULL} repeats everything in three forks with longer iterations.
 *
 * @param name               {@code quick}, {@code full} or {@code smoke}
 * @param forks              JVMs per combination for request/response and fan-out
 * @param warmupIterations   warm-up iterations per fork
 * @param warmupSeconds      length of each warm-up iteration
 * @param iterations         measured iterations per fork
 * @param iterationSeconds   length of each measured iteration
 * @param capacityForks      single shots per capacity combination, each with a fresh server
 * @param levels             client counts per workload
 * @param rounds             passes over the variants; rounds after the first measure the headline level only
 */
record Profile(String name, int forks, int warmupIterations, int warmupSeconds, int iterations,
               int iterationSeconds, int capacityForks, Map<Workload, List<Integer>> levels, int rounds) {

    private static final Map<Workload, List<Integer>> LEVELS = Map.of(
            Workload.REQUEST_RESPONSE, List.of(1, 100, 1_000),
            Workload.FAN_OUT, List.of(10, 100, 1_000),
            Workload.CAPACITY, List.of(1_000, 5_000, 10_000));

    static final Profile QUICK = new Profile("quick", 1, 1, 2, 3, 1, 1, LEVELS, 3);

    /**
     * Adds a capacity level close to what one process may open here: 19,000 clients under a limit of
     * 20,000 open files, for the load generator and the server alike. Not in the quick run: accepting
     * 19,000 clients into a thread-per-client server takes minutes on 2 cores.
     */
    static final Profile FULL = new Profile("full", 3, 3, 5, 5, 5, 3, Map.of(
            Workload.REQUEST_RESPONSE, LEVELS.get(Workload.REQUEST_RESPONSE),
            Workload.FAN_OUT, LEVELS.get(Workload.FAN_OUT),
            Workload.CAPACITY, List.of(1_000, 5_000, 10_000, 19_000)), 1);

    /** Every benchmark once at a tiny size: proves that each still runs, measures nothing. */
    static final Profile SMOKE = new Profile("smoke", 1, 0, 1, 1, 1, 1, Map.of(
            Workload.REQUEST_RESPONSE, List.of(2),
            Workload.FAN_OUT, List.of(3),
            Workload.CAPACITY, List.of(10)), 1);

    /** The same settings with another number of rounds. */
    Profile withRounds(int newRounds) {
        return new Profile(name, forks, warmupIterations, warmupSeconds, iterations, iterationSeconds, capacityForks,
                levels, newRounds);
    }

    /** The settings as one line, for the report. */
    String describe() {
        return String.format("request/response and fan-out: %d fork%s, %d × %d s warm-up, %d × %d s measured, "
                        + "%d round%s (interleaved; later rounds at %d clients only; median of all iterations); "
                        + "capacity: %d single shot%s, each on a fresh server",
                forks, forks == 1 ? "" : "s", warmupIterations, warmupSeconds, iterations, iterationSeconds,
                rounds, rounds == 1 ? "" : "s", Headlines.CLIENTS, capacityForks, capacityForks == 1 ? "" : "s");
    }
}

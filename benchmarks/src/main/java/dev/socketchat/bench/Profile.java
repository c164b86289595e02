package dev.socketchat.bench;

import java.util.List;
import java.util.Map;

/**
 * How long and how often a run measures, and at which client counts.
 *
 * <p>{@link #QUICK} compares every variant on every workload in a few minutes on 2 cores: one fork
 * each, short iterations, so differences of a few percent are noise there. {@link #FULL} repeats
 * everything in three forks with longer iterations, and gives JMH's error bars something to say.
 *
 * @param name               {@code quick}, {@code full} or {@code smoke}
 * @param forks              JVMs per combination for request/response and fan-out
 * @param warmupIterations   warm-up iterations per fork
 * @param warmupSeconds      length of each warm-up iteration
 * @param iterations         measured iterations per fork
 * @param iterationSeconds   length of each measured iteration
 * @param capacityForks      single shots per capacity combination, each with a fresh server
 * @param levels             client counts per workload
 */
record Profile(String name, int forks, int warmupIterations, int warmupSeconds, int iterations,
               int iterationSeconds, int capacityForks, Map<Workload, List<Integer>> levels) {

    private static final Map<Workload, List<Integer>> LEVELS = Map.of(
            Workload.REQUEST_RESPONSE, List.of(1, 100, 1_000),
            Workload.FAN_OUT, List.of(10, 100, 1_000),
            Workload.CAPACITY, List.of(1_000, 5_000, 10_000));

    static final Profile QUICK = new Profile("quick", 1, 1, 2, 3, 2, 1, LEVELS);

    static final Profile FULL = new Profile("full", 3, 3, 5, 5, 5, 3, LEVELS);

    /** Every benchmark once at a tiny size: proves that each still runs, measures nothing. */
    static final Profile SMOKE = new Profile("smoke", 1, 0, 1, 1, 1, 1, Map.of(
            Workload.REQUEST_RESPONSE, List.of(2),
            Workload.FAN_OUT, List.of(3),
            Workload.CAPACITY, List.of(10)));

    /** The settings as one line, for the report. */
    String describe() {
        return String.format("request/response and fan-out: %d fork%s, %d × %d s warm-up, %d × %d s measured; "
                        + "capacity: %d single shot%s, each on a fresh server",
                forks, forks == 1 ? "" : "s", warmupIterations, warmupSeconds, iterations, iterationSeconds,
                capacityForks, capacityForks == 1 ? "" : "s");
    }
}

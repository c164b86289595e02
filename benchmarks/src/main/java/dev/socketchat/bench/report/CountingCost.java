package dev.socketchat.bench.report;

import dev.socketchat.bench.Workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What counting inside the server (perf's tracepoints, the JVM's allocation count) costs its
 * throughput, from a {@code --counting-cost} run: each counted iteration's throughput over that of
 * the uncounted iteration right after it, on the same server, and the median of those ratios.
 *
 * <p>Pairs of neighbouring seconds, because nothing else here holds still enough: the same server's
 * CPU time per message moves by a fifth and more from one run to the next, so two whole runs, one
 * counted and one not, differ by more than any cost of counting. A pair in which either second lost more than
 * {@value Report#STEAL_BOUND_PERCENT}% of the machine to the hypervisor is left out, as the report
 * leaves such iterations out of its medians.
 *
 * @param pairs  the pairs compared
 * @param median the median of their ratios, counted over uncounted: below 1 when counting slows the server
 * @param lowest the lowest ratio
 * @param highest the highest ratio
 */
public record CountingCost(Workload workload, String variant, int clients, int pairs, double median,
                           double lowest, double highest) {

    /** One row per result of a {@code --counting-cost} run that has at least one pair; none for other runs. */
    static List<CountingCost> of(Report report) {
        List<CountingCost> rows = new ArrayList<>();
        for (Report.Result result : report.results()) {
            of(result).ifPresent(rows::add);
        }
        return rows;
    }

    static Optional<CountingCost> of(Report.Result result) {
        List<Report.Trial> trials = result.trials();
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i + 1 < trials.size(); i++) {
            Report.Trial counted = trials.get(i);
            Report.Trial uncounted = trials.get(i + 1);
            if (counted.counting() != Report.Counting.COUNTED || uncounted.counting() != Report.Counting.UNCOUNTED) {
                continue;
            }
            i++; // an iteration belongs to one pair
            if (counted.stolenPercent() <= Report.STEAL_BOUND_PERCENT
                    && uncounted.stolenPercent() <= Report.STEAL_BOUND_PERCENT && uncounted.score() > 0) {
                ratios.add(counted.score() / uncounted.score());
            }
        }
        if (ratios.isEmpty()) {
            return Optional.empty();
        }
        List<Double> sorted = ratios.stream().sorted().toList();
        return Optional.of(new CountingCost(result.workload(), result.variant(), result.clients(), sorted.size(),
                Report.median(sorted), sorted.getFirst(), sorted.getLast()));
    }

    /** The closing table's block for a {@code --counting-cost} run; empty for any other run. */
    static String table(List<CountingCost> rows) {
        if (rows.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%nwhat counting costs: throughput of each counted iteration over the uncounted one after it%n"));
        out.append(String.format(Locale.ROOT, "%-34s %-16s %8s %6s %8s %17s%n",
                "variant", "workload", "clients", "pairs", "median", "lowest - highest"));
        for (CountingCost row : rows) {
            out.append(String.format(Locale.ROOT, "%-34s %-16s %8d %6d %8.3f %8.3f - %6.3f%n", row.variant(),
                    row.workload().id(), row.clients(), row.pairs(), row.median(), row.lowest(), row.highest()));
        }
        return out.toString();
    }
}

package dev.socketchat.bench.report;

import dev.socketchat.bench.Metrics;
import dev.socketchat.bench.Workload;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The few figures a run is read for, per variant, and each one's ratio to {@code nio-selector} in
 * the same run: round trips per second at {@value #CLIENTS} clients, fan-out frames per second at
 * {@value #CLIENTS} members, and memory per idle client.
 *
 * <p>Ratios, not raw scores, are what two runs can agree on: a busy machine slows every variant of
 * a run, and the ratio to a reference measured in the same rounds cancels most of that.
 *
 * <p><b>Memory per idle client</b> is a slope: the growth of the server's resident memory between
 * the smallest and the largest capacity level up to {@value #SLOPE_TOP} it held completely, divided
 * by the clients added.
 * Resident memory divided by clients would charge every client a share of the JVM's own baseline;
 * the widest span keeps the heap's own steps (a page first touched, a collection that came or did
 * not) from weighing on a few thousand clients only.
 */
public record Headlines(String variant, Optional<Report.Value> roundTrips, Optional<Report.Value> fanOut,
                        OptionalDouble kibPerClient, String slopeLevels) {

    static final String REFERENCE = "nio-selector";
    /**
     * The largest level the slope reaches: every run measures it, so a run with a larger level (19,000
     * with {@code --update-docs} and {@code --full}) still gives a slope comparable with a quick run's.
     */
    public static final int SLOPE_TOP = 10_000;
    /** The client count (and fan-out room size) of the headline figures; the runner measures it in every round. */
    public static final int CLIENTS = 100;

    /** The headline figures of every variant of {@code report}, in the run's order. */
    static List<Headlines> of(Report report) {
        List<Headlines> all = new ArrayList<>();
        for (String variant : report.variants()) {
            List<Report.Result> capacity = report.results().stream()
                    .filter(r -> r.workload() == Workload.CAPACITY && r.variant().equals(variant))
                    .filter(r -> r.metric(Metrics.Names.HELD).map(h -> h.score() >= r.clients()).orElse(false))
                    .filter(r -> r.clients() <= SLOPE_TOP)
                    .sorted((a, b) -> Integer.compare(a.clients(), b.clients()))
                    .toList();
            OptionalDouble slope = OptionalDouble.empty();
            String levels = "";
            if (capacity.size() >= 2) {
                Report.Result low = capacity.getFirst();
                Report.Result high = capacity.getLast();
                double mib = high.metric(Metrics.Names.RSS).orElseThrow().score()
                        - low.metric(Metrics.Names.RSS).orElseThrow().score();
                slope = OptionalDouble.of(mib * 1024 / (high.clients() - low.clients()));
                levels = String.format(Locale.ROOT, "%,d→%,d", low.clients(), high.clients());
            }
            all.add(new Headlines(variant, score(report, Workload.REQUEST_RESPONSE, variant),
                    score(report, Workload.FAN_OUT, variant), slope, levels));
        }
        return all;
    }

    private static Optional<Report.Value> score(Report report, Workload workload, String variant) {
        return report.results().stream()
                .filter(r -> r.workload() == workload && r.variant().equals(variant) && r.clients() == CLIENTS)
                .map(Report.Result::score)
                .findFirst();
    }

    private static OptionalDouble scoreOf(Optional<Report.Value> value) {
        return value.map(v -> OptionalDouble.of(v.score())).orElse(OptionalDouble.empty());
    }

    /** Ratios to the reference variant of the same run, by figure: "round trips", "fan-out", "memory". */
    static Map<String, Map<String, OptionalDouble>> ratios(List<Headlines> run) {
        Optional<Headlines> reference = run.stream().filter(h -> h.variant().equals(REFERENCE)).findFirst();
        Map<String, Map<String, OptionalDouble>> ratios = new LinkedHashMap<>();
        for (Headlines h : run) {
            Map<String, OptionalDouble> row = new LinkedHashMap<>();
            row.put("round trips", ratio(scoreOf(h.roundTrips()), reference.map(r -> scoreOf(r.roundTrips()))));
            row.put("fan-out", ratio(scoreOf(h.fanOut()), reference.map(r -> scoreOf(r.fanOut()))));
            row.put("memory", ratio(h.kibPerClient(), reference.map(Headlines::kibPerClient)));
            ratios.put(h.variant(), row);
        }
        return ratios;
    }

    private static OptionalDouble ratio(OptionalDouble value, Optional<OptionalDouble> reference) {
        if (value.isEmpty() || reference.isEmpty() || reference.get().isEmpty() || reference.get().getAsDouble() == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(value.getAsDouble() / reference.get().getAsDouble());
    }

    /** The tables {@code bench} ends with, for the run in {@code dir}: the headline figures, then what they cost. */
    public static String tableOf(Path dir) throws IOException {
        Report report = Report.read(dir);
        return table(of(report)) + costTable(report) + CountingCost.table(CountingCost.of(report));
    }

    /**
     * What the server spent per message at {@value #CLIENTS} clients, beside the throughput it
     * reached: one block per workload, "n/a" for a cost the run could not count.
     */
    static String costTable(Report report) {
        StringBuilder out = new StringBuilder();
        for (Workload workload : List.of(Workload.REQUEST_RESPONSE, Workload.FAN_OUT)) {
            List<Report.Result> rows = report.variants().stream()
                    .flatMap(variant -> report.results().stream().filter(r -> r.workload() == workload
                            && r.variant().equals(variant) && r.clients() == CLIENTS))
                    .toList();
            if (rows.isEmpty()) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "%n%s at %d %s: what the server spent per %s%n", workload.id(), CLIENTS,
                    workload == Workload.FAN_OUT ? "members" : "clients", Cost.unit(workload)));
            StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-34s %16s", "variant",
                    workload == Workload.FAN_OUT ? "frames/s" : "round trips/s"));
            for (Cost cost : Cost.values()) {
                head.append(String.format(Locale.ROOT, " %12s", cost.label()));
            }
            out.append(head).append('\n');
            for (Report.Result r : rows) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-34s %16s", r.variant(),
                        String.format(Locale.ROOT, "%,.0f", r.score().score())));
                for (Cost cost : Cost.values()) {
                    row.append(String.format(Locale.ROOT, " %12s", cost.text(r)));
                }
                out.append(row).append('\n');
            }
        }
        if (!out.isEmpty()) {
            out.append("costs counted by: ").append(report.run().counters() == null ? Cost.NOT_COUNTED
                    : report.run().counters()).append('\n');
        }
        return out.toString();
    }

    /**
     * The table {@code bench} ends with: one row per variant, figures and ratios side by side. Where
     * a variant's throughput interval overlaps nio-selector's, its ratio column says "tie": the run
     * cannot tell which is faster, and a ratio such as 0.97 would suggest it can.
     */
    static String table(List<Headlines> run) {
        Map<String, Map<String, OptionalDouble>> ratios = ratios(run);
        Optional<Headlines> reference = run.stream().filter(h -> h.variant().equals(REFERENCE)).findFirst();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-34s %16s %7s %18s %7s %14s %7s%n", "variant",
                "round trips/s", "×nio", "fan-out frames/s", "×nio", "KiB/idle client", "×nio"));
        out.append(String.format(Locale.ROOT, "%-34s %16s %7s %18s %7s %14s %7s%n", "",
                "(" + CLIENTS + " clients)", "", "(" + CLIENTS + " members)", "", "(slope)", ""));
        for (Headlines h : run) {
            Map<String, OptionalDouble> row = ratios.get(h.variant());
            out.append(String.format(Locale.ROOT, "%-34s %16s %7s %18s %7s %14s %7s%n", h.variant(),
                    figure(scoreOf(h.roundTrips()), "%,.0f"),
                    orTie(h, h.roundTrips(), reference.flatMap(Headlines::roundTrips), row.get("round trips")),
                    figure(scoreOf(h.fanOut()), "%,.0f"),
                    orTie(h, h.fanOut(), reference.flatMap(Headlines::fanOut), row.get("fan-out")),
                    figure(h.kibPerClient(), "%,.1f"), figure(row.get("memory"), "%.2f")));
        }
        out.append("tie: the throughput intervals of the variant and ").append(REFERENCE)
                .append(" overlap, so the run does not say which is faster.\n");
        run.stream().map(Headlines::slopeLevels).filter(s -> !s.isEmpty()).findFirst().ifPresent(levels ->
                out.append("KiB/idle client: growth of the server's resident memory between ").append(levels)
                        .append(" idle clients, per client added.\n"));
        return out.toString();
    }

    /** The ratio to the reference, or "tie" where the two intervals overlap (the reference's own row keeps 1.00). */
    static String orTie(Headlines h, Optional<Report.Value> value, Optional<Report.Value> reference, OptionalDouble ratio) {
        if (!h.variant().equals(REFERENCE) && value.isPresent() && reference.isPresent()
                && value.get().ties(reference.get())) {
            return "tie";
        }
        return figure(ratio, "%.2f");
    }

    static String figure(OptionalDouble value, String format) {
        return value.isPresent() ? String.format(Locale.ROOT, format, value.getAsDouble()) : "–";
    }
}

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
public record Headlines(String variant, OptionalDouble roundTrips, OptionalDouble fanOut, OptionalDouble kibPerClient,
                        String slopeLevels) {

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

    private static OptionalDouble score(Report report, Workload workload, String variant) {
        return report.results().stream()
                .filter(r -> r.workload() == workload && r.variant().equals(variant) && r.clients() == CLIENTS)
                .mapToDouble(r -> r.score().score())
                .findFirst();
    }

    /** Ratios to the reference variant of the same run, by figure: "round trips", "fan-out", "memory". */
    static Map<String, Map<String, OptionalDouble>> ratios(List<Headlines> run) {
        Optional<Headlines> reference = run.stream().filter(h -> h.variant().equals(REFERENCE)).findFirst();
        Map<String, Map<String, OptionalDouble>> ratios = new LinkedHashMap<>();
        for (Headlines h : run) {
            Map<String, OptionalDouble> row = new LinkedHashMap<>();
            row.put("round trips", ratio(h.roundTrips(), reference.map(Headlines::roundTrips)));
            row.put("fan-out", ratio(h.fanOut(), reference.map(Headlines::fanOut)));
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

    /** The table {@code bench} ends with, for the run in {@code dir}. */
    public static String tableOf(Path dir) throws IOException {
        return table(of(Report.read(dir)));
    }

    /** The table {@code bench} ends with: one row per variant, figures and ratios side by side. */
    static String table(List<Headlines> run) {
        Map<String, Map<String, OptionalDouble>> ratios = ratios(run);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-34s %16s %7s %18s %7s %14s %7s%n", "variant",
                "round trips/s", "×nio", "fan-out frames/s", "×nio", "KiB/idle client", "×nio"));
        out.append(String.format(Locale.ROOT, "%-34s %16s %7s %18s %7s %14s %7s%n", "",
                "(" + CLIENTS + " clients)", "", "(" + CLIENTS + " members)", "", "(slope)", ""));
        for (Headlines h : run) {
            Map<String, OptionalDouble> row = ratios.get(h.variant());
            out.append(String.format(Locale.ROOT, "%-34s %16s %7s %18s %7s %14s %7s%n", h.variant(),
                    figure(h.roundTrips(), "%,.0f"), figure(row.get("round trips"), "%.2f"),
                    figure(h.fanOut(), "%,.0f"), figure(row.get("fan-out"), "%.2f"),
                    figure(h.kibPerClient(), "%,.1f"), figure(row.get("memory"), "%.2f")));
        }
        run.stream().map(Headlines::slopeLevels).filter(s -> !s.isEmpty()).findFirst().ifPresent(levels ->
                out.append("KiB/idle client: growth of the server's resident memory between ").append(levels)
                        .append(" idle clients, per client added.\n"));
        return out.toString();
    }

    static String figure(OptionalDouble value, String format) {
        return value.isPresent() ? String.format(Locale.ROOT, format, value.getAsDouble()) : "–";
    }
}

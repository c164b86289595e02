package dev.socketchat.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * {@code bench --compare RUN RUN [RUN...]}: how far runs agree. For each variant and headline
 * figure it prints the ratio to {@code nio-selector} in every run and their spread, the range as a
 * percentage of the median: "within 10%" means a spread of at most 10.
 *
 * <pre>
 * variant            figure         run 1   run 2   run 3   spread
 * thread-per-client  round trips     0.52    0.49    0.55    11.5%
 * </pre>
 */
public final class Comparison {

    private Comparison() {
    }

    /** The table above for {@code runs}, directories that {@code bench} wrote. */
    public static String of(List<Path> runs) throws IOException {
        List<Map<String, Map<String, OptionalDouble>>> ratios = new ArrayList<>();
        Set<String> variants = new LinkedHashSet<>();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < runs.size(); i++) {
            Report report = Report.read(runs.get(i));
            ratios.add(Headlines.ratios(Headlines.of(report)));
            variants.addAll(report.variants());
            out.append(String.format(Locale.ROOT, "run %d: %s%n", i + 1, runs.get(i)));
        }
        out.append(String.format(Locale.ROOT, "%nratio to %s in the same run; spread = (max - min) / median%n%n",
                Headlines.REFERENCE));
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-34s %-12s", "variant", "figure"));
        for (int i = 0; i < runs.size(); i++) {
            header.append(String.format(Locale.ROOT, " %7s", "run " + (i + 1)));
        }
        out.append(header).append(String.format(Locale.ROOT, " %8s%n", "spread"));
        double widest = -1;
        String widestAt = "";
        for (String variant : variants) {
            if (variant.equals(Headlines.REFERENCE)) {
                continue;
            }
            for (String figure : List.of("round trips", "fan-out", "memory")) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-34s %-12s", variant, figure));
                List<Double> values = new ArrayList<>();
                for (Map<String, Map<String, OptionalDouble>> run : ratios) {
                    OptionalDouble ratio = run.getOrDefault(variant, Map.of()).getOrDefault(figure, OptionalDouble.empty());
                    ratio.ifPresent(values::add);
                    row.append(String.format(Locale.ROOT, " %7s", Headlines.figure(ratio, "%.2f")));
                }
                row.append(String.format(Locale.ROOT, " %8s%n", spread(values)));
                out.append(row);
                OptionalDouble spread = spreadPercent(values);
                if (spread.isPresent() && spread.getAsDouble() > widest) {
                    widest = spread.getAsDouble();
                    widestAt = variant + ", " + figure;
                }
            }
        }
        if (widest >= 0) {
            out.append(String.format(Locale.ROOT, "%nwidest spread: %.1f%% (%s)%n", widest, widestAt));
        }
        return out.toString();
    }

    /** (max - min) / median, as a percentage; "–" with fewer than two values. */
    static String spread(List<Double> values) {
        OptionalDouble spread = spreadPercent(values);
        return spread.isPresent() ? String.format(Locale.ROOT, "%.1f%%", spread.getAsDouble()) : "–";
    }

    private static OptionalDouble spreadPercent(List<Double> values) {
        if (values.size() < 2) {
            return OptionalDouble.empty();
        }
        List<Double> sorted = values.stream().sorted().toList();
        return OptionalDouble.of(100 * (sorted.getLast() - sorted.getFirst()) / Report.median(sorted));
    }
}

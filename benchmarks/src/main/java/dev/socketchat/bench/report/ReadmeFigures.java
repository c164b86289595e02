package dev.socketchat.bench.report;

import dev.socketchat.bench.Metrics;
import dev.socketchat.bench.Workload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Figures in prose, generated from a run so that a README cannot quote a number the committed run
 * does not contain. A writer marks where a figure goes; the report fills it in:
 *
 * <pre>
 * 10,000 idle clients cost &lt;!-- bench:rss:virtual-threads:10000 --&gt;&lt;!-- /bench --&gt; MiB
 *   becomes
 * 10,000 idle clients cost &lt;!-- bench:rss:virtual-threads:10000 --&gt;118.4&lt;!-- /bench --&gt; MiB
 * </pre>
 *
 * <p>The key is {@code figure:variant[:clients]}; the figures are listed in {@link #figure}. A key
 * the run has no figure for is an error naming the file and the key, so {@code bench report} and
 * {@code ReadmeFiguresTest} fail instead of leaving a stale number.
 */
final class ReadmeFigures {

    static final Pattern MARKER = Pattern.compile("<!-- bench:([a-z0-9:._-]+) -->(.*?)<!-- /bench -->", Pattern.DOTALL);

    private ReadmeFigures() {
    }

    /** {@code text} with every marked figure filled in from {@code report}. */
    static String fill(String text, Report report, String where) {
        Matcher matcher = MARKER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String key = matcher.group(1);
            String value = figure(report, key).orElseThrow(() -> new IllegalArgumentException(
                    where + ": the run has no figure for <!-- bench:" + key + " -->"));
            matcher.appendReplacement(out, Matcher.quoteReplacement("<!-- bench:" + key + " -->" + value + "<!-- /bench -->"));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /**
     * The figure a key names, formatted as the tables print it:
     * <ul>
     *   <li>{@code round-trips:V:N}, {@code p99:V:N} (µs), {@code p50-ms}, {@code p99-ms}, {@code p999-ms}: request/response at N clients</li>
     *   <li>{@code fan-out:V:N}: frames delivered per second to N members</li>
     *   <li>{@code rss:V:N} (MiB), {@code rss-idle:V:N} (MiB, before the first client), {@code threads:V:N},
     *       {@code threads-idle:V:N}, {@code held:V:N}, {@code refused:V:N}, {@code accept-ms:V:N},
     *       {@code accept-s:V:N}: capacity at N idle clients</li>
     *   <li>{@code cpu-rt:V:N}, {@code syscalls-rt}, {@code reads-rt}, {@code writes-rt}, {@code switches-rt},
     *       {@code alloc-rt}, {@code syscall.NAME-rt}: what the server spent per round trip at N clients;
     *       {@code ...-frame:V:N} per delivered frame of fan-out to N members (see {@link #cost})</li>
     *   <li>{@code kib-per-client:V}: the slope of resident memory between the smallest capacity level and 10,000 clients</li>
     *   <li>{@code ratio-round-trips:V}, {@code ratio-fan-out:V}, {@code ratio-memory:V}: to nio-selector, at 100</li>
     *   <li>{@code times:F:V:N:W:M}: how many times figure F of V at N is the same figure of W at M
     *       ({@code times:F:V:W} for a figure without a level, such as {@code kib-per-client}), to one
     *       decimal (from the two figures as the tables print them), for prose such as "falls
     *       22.3-fold from 10 to 1,000 members" or "3.1 times lesson 02"</li>
     *   <li>{@code date}: when the run was made</li>
     * </ul>
     */
    static Optional<String> figure(Report report, String key) {
        String[] parts = key.split(":");
        if (parts.length == 1 && parts[0].equals("date")) {
            return Optional.of(report.run().date().substring(0, 10));
        }
        if (parts[0].equals("times") && (parts.length == 6 || parts.length == 4)) {
            // times:F:V:N:W:M for a figure at a level, times:F:V:W for one of the whole run (kib-per-client).
            int half = (parts.length - 2) / 2;
            String first = parts[1] + ":" + String.join(":", List.of(parts).subList(2, 2 + half));
            String second = parts[1] + ":" + String.join(":", List.of(parts).subList(2 + half, parts.length));
            Optional<Double> a = figure(report, first).map(ReadmeFigures::number);
            Optional<Double> b = figure(report, second).map(ReadmeFigures::number).filter(value -> value > 0);
            return a.flatMap(x -> b.map(y -> String.format(Locale.ROOT, "%.1f", x / y)));
        }
        if (parts.length == 2) {
            List<Headlines> headlines = Headlines.of(report);
            Optional<Headlines> h = headlines.stream().filter(x -> x.variant().equals(parts[1])).findFirst();
            var ratios = Headlines.ratios(headlines).get(parts[1]);
            return switch (parts[0]) {
                case "kib-per-client" -> h.flatMap(x -> present(x.kibPerClient(), "%,.1f"));
                case "ratio-round-trips" -> ratios == null ? Optional.empty() : present(ratios.get("round trips"), "%.2f");
                case "ratio-fan-out" -> ratios == null ? Optional.empty() : present(ratios.get("fan-out"), "%.2f");
                case "ratio-memory" -> ratios == null ? Optional.empty() : present(ratios.get("memory"), "%.2f");
                default -> Optional.empty();
            };
        }
        if (parts.length != 3 || !parts[2].matches("\\d+")) {
            return Optional.empty();
        }
        int clients = Integer.parseInt(parts[2]);
        Optional<Optional<String>> cost = cost(report, parts[0], parts[1], clients);
        if (cost.isPresent()) {
            return cost.get();
        }
        return switch (parts[0]) {
            case "round-trips" -> score(report, Workload.REQUEST_RESPONSE, parts[1], clients, "%,.0f");
            case "fan-out" -> score(report, Workload.FAN_OUT, parts[1], clients, "%,.0f");
            case "accept-ms" -> score(report, Workload.CAPACITY, parts[1], clients, "%,.0f");
            case "p99" -> metric(report, Workload.REQUEST_RESPONSE, parts[1], clients, Metrics.Names.P99, "%,.0f");
            case "p99-ms" -> millis(report, parts[1], clients, Metrics.Names.P99, "%,.0f");
            case "p999-ms" -> millis(report, parts[1], clients, Metrics.Names.P999, "%,.0f");
            case "p50-ms" -> millis(report, parts[1], clients, Metrics.Names.P50, "%,.1f");
            case "rss-idle" -> metric(report, Workload.CAPACITY, parts[1], clients, Metrics.Names.RSS_IDLE, "%,.0f");
            case "accept-s" -> find(report, Workload.CAPACITY, parts[1], clients)
                    .map(r -> String.format(Locale.ROOT, "%.1f", r.score().score() / 1000));
            case "rss" -> metric(report, Workload.CAPACITY, parts[1], clients, Metrics.Names.RSS, "%,.1f");
            case "threads" -> metric(report, Workload.CAPACITY, parts[1], clients, Metrics.Names.THREADS, "%,.0f");
            case "threads-idle" -> metric(report, Workload.CAPACITY, parts[1], clients, Metrics.Names.THREADS_IDLE, "%,.0f");
            case "held" -> metric(report, Workload.CAPACITY, parts[1], clients, Metrics.Names.HELD, "%,.0f");
            case "refused" -> metric(report, Workload.CAPACITY, parts[1], clients, Metrics.Names.REFUSED, "%,.0f");
            default -> Optional.empty();
        };
    }

    private static double number(String printed) {
        return Double.parseDouble(printed.replace(",", ""));
    }

    /**
     * A cost per message, when {@code figure} names one: {@code COST-rt} per round trip of
     * request/response, {@code COST-frame} per delivered frame of fan-out, where COST is a
     * {@link Cost} ({@code cpu}, {@code syscalls}, {@code reads}, {@code writes}, {@code switches},
     * {@code alloc}) or {@code syscall.NAME} for one call by name ({@code syscall.futex-rt}). Printed
     * as the tables print it; a cost the run did not count is no figure at all, so that a README
     * cannot quote "n/a" as a number. Empty when {@code figure} is not a cost.
     */
    private static Optional<Optional<String>> cost(Report report, String figure, String variant, int clients) {
        Workload workload;
        String name;
        if (figure.endsWith("-rt")) {
            workload = Workload.REQUEST_RESPONSE;
            name = figure.substring(0, figure.length() - "-rt".length());
        } else if (figure.endsWith("-frame")) {
            workload = Workload.FAN_OUT;
            name = figure.substring(0, figure.length() - "-frame".length());
        } else {
            return Optional.empty();
        }
        String metric;
        if (name.startsWith("syscall.")) {
            metric = Metrics.Names.syscalls(name.substring("syscall.".length()));
        } else {
            Optional<Cost> named = Arrays.stream(Cost.values()).filter(c -> c.key().equals(name)).findFirst();
            if (named.isEmpty()) {
                return Optional.empty();
            }
            metric = named.get().metric();
        }
        return Optional.of(find(report, workload, variant, clients).flatMap(r -> r.metric(metric))
                .map(v -> Cost.format(v.score())));
    }

    private static Optional<Report.Result> find(Report report, Workload workload, String variant, int clients) {
        return report.results().stream()
                .filter(r -> r.workload() == workload && r.variant().equals(variant) && r.clients() == clients)
                .findFirst();
    }

    private static Optional<String> score(Report report, Workload workload, String variant, int clients, String format) {
        return find(report, workload, variant, clients).map(r -> String.format(Locale.ROOT, format, r.score().score()));
    }

    private static Optional<String> metric(Report report, Workload workload, String variant, int clients, String name,
                                           String format) {
        return find(report, workload, variant, clients).flatMap(r -> r.metric(name))
                .map(v -> String.format(Locale.ROOT, format, v.score()));
    }

    private static Optional<String> millis(Report report, String variant, int clients, String name, String format) {
        return find(report, Workload.REQUEST_RESPONSE, variant, clients).flatMap(r -> r.metric(name))
                .map(v -> String.format(Locale.ROOT, format, v.score() / 1000));
    }

    private static Optional<String> present(OptionalDouble value, String format) {
        return value.isPresent() ? Optional.of(String.format(Locale.ROOT, format, value.getAsDouble())) : Optional.empty();
    }

    /** Every lesson README under {@code root/lessons}, plus {@code docs/lessons.md} and {@code docs/benchmarks.md}. */
    static List<Path> documents(Path root) throws IOException {
        List<Path> documents = new ArrayList<>();
        Path lessons = root.resolve("lessons");
        if (Files.isDirectory(lessons)) {
            try (Stream<Path> dirs = Files.list(lessons)) {
                dirs.map(dir -> dir.resolve("README.md")).filter(Files::isRegularFile).sorted().forEach(documents::add);
            }
        }
        for (String doc : List.of("lessons.md", "benchmarks.md")) {
            Path index = root.resolve("docs").resolve(doc);
            if (Files.isRegularFile(index)) {
                documents.add(index);
            }
        }
        return documents;
    }

    /** Fills the figures of every document under {@code root}; rewrites only those that change. */
    static int update(Path root, Report report) throws IOException {
        int changed = 0;
        for (Path document : documents(root)) {
            String text = Files.readString(document, StandardCharsets.UTF_8);
            String filled = fill(text, report, root.relativize(document).toString());
            if (!filled.equals(text)) {
                Files.writeString(document, filled, StandardCharsets.UTF_8);
                changed++;
            }
        }
        return changed;
    }

    /** Reads a document, for tests that compare it with what the run generates. */
    static String read(Path document) {
        try {
            return Files.readString(document, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

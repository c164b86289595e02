package dev.socketchat.bench.cluster;

import dev.socketchat.bench.report.RunInfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Lesson 09's figures, from a run of {@code ./chat bench cluster}, as the report's {@code ReadmeFigures} does for
 * the other lessons, with markers of their own so that neither filler trips on the other's keys:
 *
 * <pre>
 * &lt;!-- bench-cluster:p50-us:two-servers --&gt;&lt;!-- /bench-cluster --&gt; µs
 * </pre>
 *
 * <p>Keys: {@code p50-us:S}, {@code p99-us:S}, {@code fan-out:S} for a setup S of
 * {@link ClusterBench.Setup}; {@code members}, {@code variant}, {@code date}, {@code machine}. A key
 * the run has no figure for is an error naming the file and the key.
 */
final class ClusterFigures {

    static final Pattern MARKER = Pattern.compile("<!-- bench-cluster:([a-z0-9:.-]+) -->(.*?)<!-- /bench-cluster -->",
            Pattern.DOTALL);
    static final Path README = Path.of("lessons", "09-one-room-many-servers", "README.md");

    private ClusterFigures() {
    }

    /** {@code text} with every marked figure filled in from the run in {@code dir}. */
    static String fill(String text, Path dir, String where) throws IOException {
        ClusterBench.Run run = read(dir);
        RunInfo info = RunInfo.read(dir);
        Matcher matcher = MARKER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String key = matcher.group(1);
            String value = figure(run, info, key).orElseThrow(() -> new IllegalArgumentException(
                    where + ": the run has no figure for <!-- bench-cluster:" + key + " -->"));
            matcher.appendReplacement(out, Matcher.quoteReplacement(
                    "<!-- bench-cluster:" + key + " -->" + value + "<!-- /bench-cluster -->"));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    static Optional<String> figure(ClusterBench.Run run, RunInfo info, String key) {
        String[] parts = key.split(":");
        if (parts.length == 1) {
            return switch (parts[0]) {
                case "date" -> Optional.of(info.date().substring(0, 10));
                case "variant" -> Optional.of(run.variant());
                case "members" -> Optional.of(Integer.toString(run.settings().members()));
                case "machine" -> Optional.of(info.machine().toString());
                default -> Optional.empty();
            };
        }
        if (parts.length != 2) {
            return Optional.empty();
        }
        return switch (parts[0]) {
            case "p50-us" -> run.latency(parts[1]).map(l -> format("%,.0f", l.p50Micros()));
            case "p99-us" -> run.latency(parts[1]).map(l -> format("%,.0f", l.p99Micros()));
            case "fan-out" -> run.fanOut(parts[1]).map(f -> format("%,.0f", f.framesPerSecond()));
            default -> Optional.empty();
        };
    }

    /** Fills lesson 09's README under {@code root} from the run in {@code dir}; 1 if it changed, else 0. */
    static int update(Path root, Path dir) throws IOException {
        Path readme = root.resolve(README);
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        String filled = fill(text, dir, README.toString());
        if (filled.equals(text)) {
            return 0;
        }
        Files.writeString(readme, filled, StandardCharsets.UTF_8);
        return 1;
    }

    /** The newest cluster run under {@code results}, if any. */
    static Optional<Path> latest(Path results) throws IOException {
        if (!Files.isDirectory(results)) {
            return Optional.empty();
        }
        try (Stream<Path> runs = Files.list(results)) {
            return runs.filter(dir -> dir.getFileName().toString().endsWith("-cluster"))
                    .filter(dir -> Files.isRegularFile(dir.resolve(ClusterBench.RESULTS)))
                    .max(Comparator.comparing(dir -> dir.getFileName().toString()));
        }
    }

    static ClusterBench.Run read(Path dir) throws IOException {
        return RunInfo.gson().fromJson(Files.readString(dir.resolve(ClusterBench.RESULTS), StandardCharsets.UTF_8),
                ClusterBench.Run.class);
    }

    private static String format(String pattern, double value) {
        return String.format(Locale.ROOT, pattern, value);
    }
}

package dev.socketchat.bench.report;

import dev.socketchat.bench.Metrics;
import dev.socketchat.bench.Workload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The table of {@code docs/lessons.md}, one row per lesson, cost and complexity side by side:
 * threads and resident memory at {@value #IDLE} idle clients, memory per idle client, round trips
 * per second at 100 clients, fan-out frames per second at {@value #MEMBERS} members, and the lines
 * of code of the lesson's main sources (non-blank lines that are not only a comment).
 */
final class LessonTable {

    static final String BEGIN = "<!-- BEGIN GENERATED lesson table by `bench report`: edits inside are overwritten -->";
    static final String END = "<!-- END GENERATED lesson table -->";
    static final int IDLE = 10_000;
    static final int MEMBERS = 1_000;

    private LessonTable() {
    }

    static String markdown(Report report, Path root) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("_From the run of ").append(report.run().date(), 0, 10).append("; see [benchmarks.md](benchmarks.md)._\n\n");
        md.append("| lesson | model | threads at 10,000 idle | resident MiB at 10,000 idle | KiB per idle client (slope) "
                + "| round trips/s, 100 clients | fan-out frames/s, 1,000 members | lines of code |\n");
        md.append("|---|---|--:|--:|--:|--:|--:|--:|\n");
        List<Headlines> headlines = Headlines.of(report);
        for (RunInfo.Variant variant : report.run().variants()) {
            Optional<Path> sources = sources(root, variant.lesson());
            // lessons/NN-name/src/main/java: a lesson's folder ends with its model's name.
            if (variant.lesson() <= 0 || sources.isEmpty() || !sources.get().getParent().getParent().getParent()
                    .getFileName().toString().endsWith(variant.name())) {
                continue; // a configuration measured for comparison, not a lesson of its own
            }
            String name = variant.name();
            boolean heldAll = report.results().stream().anyMatch(r -> r.workload() == Workload.CAPACITY
                    && r.variant().equals(name) && r.clients() == IDLE
                    && r.metric(Metrics.Names.HELD).map(h -> h.score() >= IDLE).orElse(false));
            md.append(String.format(Locale.ROOT, "| %02d | `%s` | %s | %s | %s | %s | %s | %,d |%n", variant.lesson(), name,
                    heldAll ? or(ReadmeFigures.figure(report, "threads:" + name + ":" + IDLE)) : "–",
                    heldAll ? or(ReadmeFigures.figure(report, "rss:" + name + ":" + IDLE)) : "–",
                    headlines.stream().filter(h -> h.variant().equals(name)).findFirst()
                            .map(h -> Headlines.figure(h.kibPerClient(), "%,.1f")).orElse("–"),
                    or(ReadmeFigures.figure(report, "round-trips:" + name + ":" + Headlines.CLIENTS)),
                    or(ReadmeFigures.figure(report, "fan-out:" + name + ":" + MEMBERS)),
                    linesOfCode(sources.get())));
        }
        md.append("\nA dash: the model cannot serve that many clients at once, or held fewer than all of them. "
                + "Memory per idle client is the growth of resident memory between 1,000 and 10,000 idle clients, "
                + "per client added, not resident memory "
                + "divided by clients.\n");
        return md.toString();
    }

    private static String or(Optional<String> figure) {
        return figure.orElse("–");
    }

    /** {@code lessons/NN-name/src/main/java} of lesson {@code number}. */
    static Optional<Path> sources(Path root, int number) throws IOException {
        Path lessons = root.resolve("lessons");
        if (!Files.isDirectory(lessons)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(lessons)) {
            return dirs.filter(dir -> dir.getFileName().toString().startsWith(String.format(Locale.ROOT, "%02d-", number)))
                    .map(dir -> dir.resolve("src/main/java"))
                    .filter(Files::isDirectory)
                    .findFirst();
        }
    }

    static long linesOfCode(Path sources) throws IOException {
        try (Stream<Path> files = Files.walk(sources)) {
            long lines = 0;
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                lines += Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                        .map(String::strip)
                        .filter(line -> !line.isEmpty() && !line.startsWith("//") && !line.startsWith("*")
                                && !line.startsWith("/*"))
                        .count();
            }
            return lines;
        }
    }

    /** Puts the table between its markers in {@code docs/lessons.md}, if the document has them. */
    static boolean update(Path root, Report report) throws IOException {
        Path document = root.resolve("docs").resolve("lessons.md");
        if (!Files.isRegularFile(document)) {
            return false;
        }
        String text = Files.readString(document, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            return false;
        }
        String updated = text.substring(0, begin) + BEGIN + "\n\n" + markdown(report, root) + "\n" + text.substring(end);
        Files.writeString(document, updated, StandardCharsets.UTF_8);
        return !updated.equals(text);
    }
}

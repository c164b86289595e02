package dev.socketchat.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.socketchat.server.ServerModel;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code ./chat bench}: runs the comparison of every variant and writes the report.
 *
 * <pre>
 * bench [--quick | --full | --smoke] [--variants a,b] [--workloads request-response,fan-out,capacity]
 *       [--results DIR] [--docs DIR]
 * bench report RESULTS_DIR [--docs DIR]
 * </pre>
 *
 * <p>A run starts JMH once per workload and variant, with the variant's client counts as a JMH
 * parameter, and writes each run's JSON into {@code benchmarks/results/<date>/}. A level a model
 * cannot serve (it serves fewer clients at once) is left out of that variant's run and recorded in
 * {@code run.json} with the reason, so the report can say "refused" instead of leaving a gap.
 * Then {@link Report} turns the directory into charts and the table in {@code docs/benchmarks.md}.
 */
public final class BenchCommand {

    static final Map<Workload, Class<?>> BENCHMARKS = Map.of(
            Workload.REQUEST_RESPONSE, RequestResponseBenchmark.class,
            Workload.FAN_OUT, FanOutBenchmark.class,
            Workload.CAPACITY, CapacityBenchmark.class);

    static final String UNSAFE_ACCESS = "sun.misc.unsafe.memory.access=allow";

    private static final String USAGE = """
            usage: bench [--quick | --full | --smoke] [--variants a,b] [--workloads w,x]
                         [--results DIR] [--docs DIR]
                   bench report RESULTS_DIR [--docs DIR]

              --quick      every variant on every workload, a few minutes on 2 cores (default)
              --full       3 forks and longer iterations: slower, with error bars worth reading
              --smoke      every benchmark once at a tiny size: checks that everything runs
              --variants   only these variants (default: all of %s)
              --workloads  only these of request-response, fan-out, capacity (default: all)
              --results    where the run's directory goes (default: benchmarks/results)
              --docs       where benchmarks.md and its charts go (default: docs)
            """;

    private BenchCommand() {
    }

    public static void main(String[] args) throws Exception {
        try {
            System.exit(run(List.of(args)));
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
        }
    }

    static int run(List<String> args) throws IOException, RunnerException {
        Profile profile = Profile.QUICK;
        List<String> variants = BenchVariants.all().stream().map(ServerModel::name).toList();
        List<Workload> workloads = List.of(Workload.values());
        Path results = Path.of("benchmarks", "results");
        Path docs = Path.of("docs");
        Path reportOnly = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--quick" -> profile = Profile.QUICK;
                case "--full" -> profile = Profile.FULL;
                case "--smoke" -> profile = Profile.SMOKE;
                case "--variants" -> variants = variants(value(args, ++i, arg));
                case "--workloads" -> workloads = workloads(value(args, ++i, arg));
                case "--results" -> results = Path.of(value(args, ++i, arg));
                case "--docs" -> docs = Path.of(value(args, ++i, arg));
                case "report" -> reportOnly = Path.of(value(args, ++i, arg));
                case "-h", "--help" -> {
                    System.out.print(USAGE.formatted(BenchVariants.names()));
                    return 0;
                }
                default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE.formatted(BenchVariants.names()));
            }
        }
        if (reportOnly == null) {
            reportOnly = measure(profile, variants, workloads, results);
        }
        Report.write(reportOnly, docs);
        return 0;
    }

    /**
     * Runs every workload for every variant and writes JMH's JSON and {@code run.json} into a new
     * directory under {@code results}, which it returns.
     */
    static Path measure(Profile profile, List<String> variants, List<Workload> workloads, Path results)
            throws IOException, RunnerException {
        OffsetDateTime start = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS);
        Path dir = results.resolve(start.format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss")));
        Files.createDirectories(dir);
        long startNanos = System.nanoTime();
        List<RunInfo.Skip> skipped = new ArrayList<>();
        for (Workload workload : workloads) {
            for (String variant : variants) {
                ServerModel model = BenchVariants.require(variant);
                List<String> levels = new ArrayList<>();
                for (int clients : profile.levels().get(workload)) {
                    workload.whyNot(model, clients).ifPresentOrElse(
                            reason -> skipped.add(new RunInfo.Skip(workload.id(), variant, clients, reason)),
                            () -> levels.add(Integer.toString(clients)));
                }
                if (!levels.isEmpty()) {
                    Path json = dir.resolve(workload.id() + "-" + variant + ".json");
                    System.out.printf("%n=== %s, %s, clients %s ===%n", workload.id(), variant, levels);
                    new Runner(options(profile, workload, variant, levels, json)).run();
                }
            }
        }
        long wallSeconds = (System.nanoTime() - startNanos) / 1_000_000_000L;
        List<RunInfo.Variant> measured = variants.stream()
                .map(BenchVariants::require)
                .map(model -> new RunInfo.Variant(model.name(), model.lesson(), model.summary()))
                .toList();
        RunInfo info = new RunInfo(start.toString(), profile.name(), profile.describe(), RunInfo.Machine.current(),
                RunInfo.currentJdk(), measured, workloads.stream().map(Workload::id).toList(), skipped, wallSeconds);
        Files.writeString(dir.resolve(Report.RUN_INFO), gson().toJson(info), StandardCharsets.UTF_8);
        System.out.printf("%nMeasured in %d min %d s; results in %s%n", wallSeconds / 60, wallSeconds % 60, dir);
        return dir;
    }

    private static org.openjdk.jmh.runner.options.Options options(Profile profile, Workload workload, String variant,
                                                                 List<String> levels, Path json) {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(BENCHMARKS.get(workload).getName()) + "\\.")
                .param("variant", variant)
                .param("clients", levels.toArray(String[]::new))
                .addProfiler(MetricsProfiler.class)
                .timeout(TimeValue.minutes(5))
                .shouldFailOnError(false)
                // The smoke run only proves that everything runs; its scores are not worth printing.
                .verbosity(profile == Profile.SMOKE ? VerboseMode.SILENT : VerboseMode.NORMAL)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString());
        // JMH 1.37 reads field offsets through sun.misc.Unsafe; JDK 24+ warns about it in every fork
        // unless allowed. This is the property behind --sun-misc-unsafe-memory-access; older JDKs ignore it.
        options.jvmArgsAppend("-D" + UNSAFE_ACCESS);
        if (workload == Workload.CAPACITY) {
            options.forks(profile.capacityForks()).warmupIterations(0).measurementIterations(1);
        } else {
            options.forks(profile.forks())
                    .warmupIterations(profile.warmupIterations())
                    .warmupTime(TimeValue.seconds(profile.warmupSeconds()))
                    .measurementIterations(profile.iterations())
                    .measurementTime(TimeValue.seconds(profile.iterationSeconds()));
        }
        return options.build();
    }

    static Gson gson() {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    }

    private static String value(List<String> args, int index, String option) {
        if (index >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(index);
    }

    private static List<String> variants(String list) {
        List<String> names = Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        names.forEach(BenchVariants::require);
        return names;
    }

    private static List<Workload> workloads(String list) {
        List<Workload> chosen = new ArrayList<>();
        for (String id : list.split(",")) {
            chosen.add(Arrays.stream(Workload.values())
                    .filter(w -> w.id().equals(id.strip()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no workload named '" + id.strip()
                            + "'; there are: request-response, fan-out, capacity")));
        }
        return chosen;
    }
}

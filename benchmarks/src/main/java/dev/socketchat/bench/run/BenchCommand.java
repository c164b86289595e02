package dev.socketchat.bench.run;

import dev.socketchat.bench.BenchVariants;
import dev.socketchat.bench.CpuPinning;
import dev.socketchat.bench.MetricsProfiler;
import dev.socketchat.bench.ServerCosts;
import dev.socketchat.bench.SyscallCounter;
import dev.socketchat.bench.Workload;
import dev.socketchat.bench.cluster.ClusterBench;
import dev.socketchat.bench.report.Comparison;
import dev.socketchat.bench.report.Headlines;
import dev.socketchat.bench.report.Report;
import dev.socketchat.bench.report.RunInfo;
import dev.socketchat.server.ServerModel;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code ./chat bench}: runs the comparison of the lessons' models and prints it as one table.
 *
 * <pre>
 * bench [--quick | --full | --smoke] [--variants a,b | --experiments]
 *       [--workloads request-response,fan-out,capacity] [--rounds N] [--update-docs] [--counting-cost]
 *       [--results DIR] [--docs DIR]
 * bench report RESULTS_DIR [--docs DIR]
 * bench --compare RUN RUN [RUN...]
 * </pre>
 *
 * <p>A run is a list of steps, one JMH run per round, workload and variant, with the variant's
 * client counts as a JMH parameter; later rounds take the variants in another order (see
 * {@link Profile}). The terminal shows one line per step (what runs, how far, how long is left);
 * JMH's own output goes to {@code benchmarks/target/bench-<date>.log}. A level a model cannot serve
 * is left out and recorded in {@code run.json} with the reason, so the report can say "not run"
 * instead of leaving a gap. The run ends with the {@link Headlines} table.
 *
 * <p>Without {@code --variants}, a run measures the lessons' models ({@link BenchVariants#lessons()});
 * the experiments some READMEs quote (lesson 04 without coalescing, lesson 06 with a fixed number of
 * loops) join with {@code --experiments}, and always with {@code --update-docs}, since the docs quote them.
 *
 * <p>The working tree stays clean unless {@code --update-docs} is given: without it the results go
 * to {@code benchmarks/target/results/}; with it to {@code benchmarks/results/}, and {@link Report}
 * rewrites the generated parts of the docs from them.
 */
@Command(name = "bench", sortOptions = false, usageHelpAutoWidth = true,
        // picocli puts "Usage: " before the first line; the others line up under it.
        customSynopsis = {"bench [--quick | --full | --smoke] [--variants a,b | --experiments]",
                "             [--workloads w,x] [--rounds N] [--update-docs] [--counting-cost]",
                "             [--results DIR] [--docs DIR]",
                "       bench report RESULTS_DIR [--docs DIR]",
                "       bench --compare RUN RUN [RUN...]"},
        description = "Runs the comparison of the lessons' models and prints it as one table.")
public final class BenchCommand implements Callable<Integer> {

    static final String UNSAFE_ACCESS = "sun.misc.unsafe.memory.access=allow";

    @Spec
    private CommandSpec spec;

    private Profile profile = Profile.QUICK;

    @Option(names = "--quick", order = 1, description = {"every lesson's model, the figures of the closing table: round "
            + "trips and fan-out at 100 clients, memory per idle client; under 10 minutes on 2 cores (default)"})
    void quick(boolean on) {
        profile = Profile.QUICK;
    }

    @Option(names = "--full", order = 2, description = "3 forks and longer iterations: slower, with error bars worth reading")
    void full(boolean on) {
        profile = Profile.FULL;
    }

    @Option(names = "--smoke", order = 3, description = "every benchmark once at a tiny size: checks that everything runs")
    void smoke(boolean on) {
        profile = Profile.SMOKE;
    }

    @Option(names = "--variants", split = ",", paramLabel = "a,b", order = 4,
            description = "only these variants (default: the lessons' models)")
    private List<String> variants;

    @Option(names = "--experiments", order = 5, description = {"the lessons' models and the experiments some READMEs "
            + "quote; always on with --update-docs, whose docs quote them all"})
    private boolean experiments;

    @Option(names = "--workloads", split = ",", paramLabel = "w,x", order = 6, converter = WorkloadName.class,
            description = "only these of request-response, fan-out, capacity (default: all)")
    private List<Workload> workloads = List.of(Workload.values());

    @Option(names = "--rounds", paramLabel = "N", order = 7, description = "passes over the variants, 1 to 20 (default: the profile's)")
    private Integer rounds;

    @Option(names = "--update-docs", order = 8, description = {"keep the run in benchmarks/results and regenerate the "
            + "docs from it; measures every level the docs chart (1 to 1,000 clients, 5,000 and 19,000 idle ones), "
            + "not only the quick run's"})
    private boolean updateDocs;

    @Option(names = "--counting-cost", order = 9, description = {"measure what counting costs: every other "
            + "measured iteration (10 at least) leaves out the counters that run inside the server (perf's system "
            + "call counts, the JVM's allocation count), and the closing table compares each counted iteration's "
            + "throughput with the uncounted one after it"})
    private boolean countingCost;

    @Option(names = "--results", paramLabel = "DIR", order = 10, description = {"where the run's directory goes "
            + "(default: benchmarks/target/results, or benchmarks/results with --update-docs)"})
    private Path results;

    @Option(names = "--docs", paramLabel = "DIR", order = 11, defaultValue = "docs",
            description = "where benchmarks.md and its charts go (default: docs)")
    private Path docs;

    @Option(names = "--compare", arity = "2..*", paramLabel = "RUN", order = 12,
            description = "each variant's ratios to nio-selector in each run, and their spread")
    private List<Path> compare;

    @Option(names = {"-h", "--help"}, usageHelp = true, order = 13, description = "show this help and exit")
    private boolean help;

    private BenchCommand() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(List.of(args), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs {@code bench} with these arguments and returns its exit status: 0, 1 when a run failed, 2
     * for a bad option, which is one line on {@code err}. {@code bench cluster} has a parser of its own.
     */
    static int run(List<String> args, PrintWriter out, PrintWriter err) throws IOException {
        if (!args.isEmpty() && args.getFirst().equals("cluster")) {
            return ClusterBench.run(args.subList(1, args.size()), out, err);
        }
        CommandLine commandLine = new CommandLine(new BenchCommand()).setOut(out).setErr(err);
        commandLine.getCommandSpec().usageMessage().footer(String.format(Locale.ROOT,
                "%n  bench cluster [--help]   lesson 09: latency and fan-out across servers%n%n"
                        + "the lessons' models: %s%nexperiments:         %s%n",
                BenchVariants.names(BenchVariants.lessons()), BenchVariants.names(BenchVariants.experiments())));
        commandLine.setParameterExceptionHandler((e, failedArgs) -> {
            e.getCommandLine().getErr().println("bench: " + e.getMessage() + " (see bench --help)");
            return 2;
        });
        commandLine.setExecutionExceptionHandler((e, failed, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                failed.getErr().println("bench: " + e.getMessage());
                return 2;
            }
            failed.getErr().println("bench: " + (e instanceof RunnerException jmh ? whyJmhStopped(jmh) : e.getMessage()));
            return 1;
        });
        return commandLine.execute(args.toArray(String[]::new));
    }

    @Command(name = "report", description = "redraw the charts, tables and figures from a run's directory")
    int report(@Parameters(paramLabel = "RESULTS_DIR", description = "a directory that bench wrote") Path dir,
               @Option(names = "--docs", paramLabel = "DIR", defaultValue = "docs",
                       description = "where benchmarks.md and its charts go (default: docs)") Path docsDir)
            throws IOException {
        Report.write(dir, docsDir);
        spec.commandLine().getOut().print(Headlines.tableOf(dir));
        spec.commandLine().getOut().flush();
        return 0;
    }

    @Override
    public Integer call() throws IOException, RunnerException {
        PrintWriter out = spec.commandLine().getOut();
        if (compare != null) {
            out.print(Comparison.of(compare));
            out.flush();
            return 0;
        }
        if (rounds != null && (rounds < 1 || rounds > 20)) {
            throw new ParameterException(spec.commandLine(), "--rounds must be between 1 and 20, not " + rounds);
        }
        if (variants != null) {
            variants = variants.stream().map(String::strip).filter(name -> !name.isEmpty()).toList();
            variants.forEach(BenchVariants::require);
        }
        Profile chosen = profile;
        if (rounds != null) {
            chosen = chosen.withRounds(rounds);
        }
        if (updateDocs) {
            chosen = chosen.forDocs();
        }
        if (countingCost) {
            chosen = chosen.withCountingCost();
        }
        List<String> measured = chooseVariants(variants, experiments, updateDocs);
        Path where = results != null ? results
                : updateDocs ? Path.of("benchmarks", "results") : Path.of("benchmarks", "target", "results");
        Path run = measure(chosen, measured, workloads, where, Path.of("benchmarks", "target"));
        if (updateDocs) {
            Report.write(run, docs);
        }
        out.println();
        out.print(Headlines.tableOf(run));
        out.flush();
        return 0;
    }

    /** A workload by its id, or an error that lists the ids there are. */
    static final class WorkloadName implements CommandLine.ITypeConverter<Workload> {
        @Override
        public Workload convert(String id) {
            return Arrays.stream(Workload.values())
                    .filter(w -> w.id().equals(id.strip()))
                    .findFirst()
                    .orElseThrow(() -> new CommandLine.TypeConversionException("no workload named '" + id.strip()
                            + "'; there are: request-response, fan-out, capacity"));
        }
    }

    /** One line for a run JMH refused or broke off; its own output is in the run's log. */
    static String whyJmhStopped(RunnerException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("JMH lock")) {
            // Two runs at once would each measure the other's load: JMH refuses the second one.
            return "another benchmark run is going on (JMH's lock file is taken); wait for it to end";
        }
        return "JMH stopped: " + message.replaceFirst("^ERROR: ", "").lines().findFirst().orElse("")
                + " (its output is in benchmarks/target/bench-<date>.log)";
    }

    /** One JMH run: a workload for a variant at some client counts, in one round. */
    record Step(int round, Workload workload, String variant, List<String> levels) {

        /** The JSON file of this step; the first round keeps the plain name that runs before rounds had. */
        String file() {
            return workload.id() + "-" + variant + (round == 1 ? "" : "-r" + round) + ".json";
        }
    }

    /**
     * The steps of a run, round by round. Round 1 measures every level a variant can serve; later
     * rounds measure the headline level of request/response and fan-out only, with the variants
     * rotated by one place each round.
     */
    static List<Step> plan(Profile profile, List<String> variants, List<Workload> workloads,
                           List<RunInfo.Skip> skipped) {
        List<Step> steps = new ArrayList<>();
        for (int round = 1; round <= profile.rounds(); round++) {
            List<String> order = new ArrayList<>(variants);
            java.util.Collections.rotate(order, -(round - 1));
            for (Workload workload : workloads) {
                if (round > 1 && workload == Workload.CAPACITY) {
                    continue;
                }
                for (String variant : order) {
                    ServerModel model = BenchVariants.require(variant);
                    List<String> levels = new ArrayList<>();
                    for (int clients : profile.levels().get(workload)) {
                        if (round > 1 && clients != Headlines.CLIENTS) {
                            continue;
                        }
                        var reason = workload.whyNot(model, clients);
                        if (reason.isEmpty()) {
                            levels.add(Integer.toString(clients));
                        } else if (round == 1) {
                            skipped.add(new RunInfo.Skip(workload.id(), variant, clients, reason.get()));
                        }
                    }
                    if (!levels.isEmpty()) {
                        steps.add(new Step(round, workload, variant, levels));
                    }
                }
            }
        }
        return steps;
    }

    /** {@link #measure(Profile, List, List, Path, Path)} with JMH's log beside the results. */
    static Path measure(Profile profile, List<String> variants, List<Workload> workloads, Path results)
            throws IOException, RunnerException {
        return measure(profile, variants, workloads, results, results);
    }

    /**
     * Runs every step and writes JMH's JSON and {@code run.json} into a new directory under
     * {@code results}, which it returns; JMH's own output goes to {@code bench-<date>.log} in
     * {@code logs}. The smoke profile is not pinned to CPUs: it measures nothing, and it runs inside
     * the build's test JVM, which must not be left pinned.
     */
    static Path measure(Profile profile, List<String> variants, List<Workload> workloads, Path results, Path logs)
            throws IOException, RunnerException {
        OffsetDateTime start = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS);
        String stamp = start.format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss"));
        Path dir = results.resolve(stamp);
        Files.createDirectories(dir);
        Path log = logs.resolve("bench-" + stamp + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        RunInfo.Machine machine = RunInfo.Machine.current(); // before pinning, which leaves this JVM one CPU
        Optional<String> serverCpus = profile.isSmoke() ? Optional.empty() : CpuPinning.pinLoadGenerator();
        long startNanos = System.nanoTime();
        List<RunInfo.Skip> skipped = new ArrayList<>();
        List<Step> steps = plan(profile, variants, workloads, skipped);
        System.out.printf("%d steps; JMH's output goes to %s; %s%n", steps.size(), log, CpuPinning.describe(serverCpus));
        try (PrintStream jmhLog = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                System.out.println(progress(i, steps.size(), step, System.nanoTime() - startNanos));
                OutputFormat output = OutputFormatFactory.createFormatInstance(jmhLog,
                        profile.isSmoke() ? VerboseMode.SILENT : VerboseMode.NORMAL);
                Path json = dir.resolve(step.file());
                new Runner(options(profile, step.workload(), step.variant(), step.levels(), json, serverCpus), output).run();
                if (Files.exists(json)) {
                    Report.compactJmhResult(json);
                }
            }
        }
        long wallSeconds = (System.nanoTime() - startNanos) / 1_000_000_000L;
        List<RunInfo.Variant> measured = variants.stream()
                .map(BenchVariants::require)
                .map(model -> new RunInfo.Variant(model.name(), model.lesson(), model.summary()))
                .toList();
        RunInfo info = new RunInfo(start.toString(), profile.name(), profile.describe(), machine,
                RunInfo.currentJdk(), measured, workloads.stream().map(Workload::id).toList(), skipped, wallSeconds,
                CpuPinning.describe(serverCpus),
                SyscallCounter.source() + (profile.countingCost() ? ServerCosts.ALTERNATING : ""));
        info.write(dir);
        Report.writeRun(dir);
        System.out.printf("Measured in %d min %d s; results, summary.json and charts in %s%n", wallSeconds / 60, wallSeconds % 60, dir);
        return dir;
    }

    /** "[ 3/26] round 1  request-response  nio-selector  clients 1, 100, 1000   2:10 gone, about 4:40 left" */
    static String progress(int done, int total, Step step, long elapsedNanos) {
        long elapsed = elapsedNanos / 1_000_000_000L;
        String left = done == 0 ? "estimating" : "about " + minutes(elapsed * (total - done) / done) + " left";
        int width = Integer.toString(total).length();
        return String.format(Locale.ROOT, "[%" + width + "d/%d] round %d  %-16s %-34s clients %-16s %s gone, %s",
                done + 1, total, step.round(), step.workload().id(), step.variant(), String.join(", ", step.levels()),
                minutes(elapsed), left);
    }

    private static String minutes(long seconds) {
        return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    static org.openjdk.jmh.runner.options.Options options(Profile profile, Workload workload, String variant,
                                                                 List<String> levels, Path json,
                                                                 Optional<String> serverCpus) {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(workload.benchmark().getName()) + "\\.")
                .param("variant", variant)
                .param("clients", levels.toArray(String[]::new))
                .addProfiler(MetricsProfiler.class)
                .timeout(TimeValue.minutes(5))
                .shouldFailOnError(false)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString());
        options.jvmArgsAppend(forkProperties(profile, serverCpus).toArray(String[]::new));
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

    /**
     * What each JMH fork is told, all in one list: JMH keeps only the last {@code jvmArgsAppend} it
     * is given, and once the counters' switch replaced the server's CPUs, so that servers measured
     * without counters shared the load generator's CPU.
     */
    private static List<String> forkProperties(Profile profile, Optional<String> serverCpus) {
        List<String> properties = new ArrayList<>();
        // JMH 1.37 reads field offsets through sun.misc.Unsafe; JDK 24+ warns about it in every fork
        // unless allowed. This is the property behind --sun-misc-unsafe-memory-access; older JDKs ignore it.
        properties.add("-D" + UNSAFE_ACCESS);
        serverCpus.ifPresent(cpus -> properties.add("-D" + CpuPinning.SERVER_CPUS + "=" + cpus));
        if (profile.countingCost()) {
            properties.add("-D" + ServerCosts.SWITCH + "=" + ServerCosts.ALTERNATE);
        }
        return List.copyOf(properties);
    }

    /**
     * The variants to measure: those named with {@code --variants}, or else the lessons' models, with
     * the experiments when asked for or when the run updates the docs that quote them.
     */
    static List<String> chooseVariants(List<String> named, boolean experiments, boolean updateDocs) {
        if (named != null && experiments) {
            throw new IllegalArgumentException("--variants and --experiments: name the variants, or ask for all of them");
        }
        if (named != null) {
            return named;
        }
        return (experiments || updateDocs ? BenchVariants.all() : BenchVariants.lessons()).stream()
                .map(ServerModel::name).toList();
    }
}

package dev.socketchat.bench.cluster;

import dev.socketchat.bench.BenchVariants;
import dev.socketchat.bench.CpuPinning;
import dev.socketchat.bench.FanOutDriver;
import dev.socketchat.bench.ServerProcess;
import dev.socketchat.bench.report.RunInfo;
import dev.socketchat.client.ChatClient;
import dev.socketchat.redis.RedisProcess;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code ./chat bench cluster}: what one room across servers costs (lesson 09), in three setups of
 * the same model: one server alone; one server with {@code --cluster}, so that every frame makes a
 * round trip through Redis; two servers with {@code --cluster}, a client on each.
 *
 * <ul>
 *   <li><b>Latency</b>: one client sends a message, waits until another client (on the other server,
 *       where there are two) has received it, and sends the next: the time from send to receipt,
 *       unloaded, as p50 and p99.</li>
 *   <li><b>Fan-out</b>: one member of a room talks and every member receives, half of the members on
 *       each server where there are two; frames delivered per second, counted over all members. The
 *       sender keeps at most {@value #WINDOW} messages per member in flight, counted over the room.</li>
 * </ul>
 *
 * <p>Not JMH: a run needs a Redis and up to two servers alive across its measurements, and a
 * latency is read off a histogram of single messages. The servers run in processes of their own
 * ({@link ClusterServerMain}) on the CPUs {@link CpuPinning} keeps for servers where it can; Redis is
 * started before this JVM is pinned, so it may run on any CPU. The run goes to
 * {@code <results>/<date>-cluster}: {@code cluster.json} and a {@code run.json} like every run's.
 * With {@code --update-docs} it goes to {@code benchmarks/results} and {@link ClusterFigures} fills
 * lesson 09's README from it.
 */
public final class ClusterBench {

    static final String RESULTS = "cluster.json";
    static final int WINDOW = 64;

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String USAGE = """
            Usage: bench cluster [--quick | --smoke] [--variant M] [--update-docs] [--results DIR]

              --quick        a few minutes (default)
              --smoke        a few samples and one second of fan-out: checks that everything runs
              --variant      the model every server runs (default: nio-selector)
              --update-docs  keep the run in benchmarks/results and fill lesson 09's README from it
              --results      where the run's directory goes (default: benchmarks/target/results)
            """;

    /** Where the room's clients are. */
    enum Setup {
        ONE_SERVER("one-server", "one server", 1, false),
        ONE_SERVER_CLUSTER("one-server-cluster", "one server, --cluster", 1, true),
        TWO_SERVERS("two-servers", "two servers, --cluster", 2, true);

        final String id;
        final String label;
        final int servers;
        final boolean clustered;

        Setup(String id, String label, int servers, boolean clustered) {
            this.id = id;
            this.label = label;
            this.servers = servers;
            this.clustered = clustered;
        }
    }

    /** How much a run measures. */
    record Settings(String profile, int warmupSamples, int samples, int members, int warmupSeconds, int seconds) {

        static final Settings QUICK = new Settings("quick", 500, 5_000, 100, 3, 15);
        static final Settings SMOKE = new Settings("smoke", 5, 20, 6, 0, 1);

        String describe() {
            return String.format(Locale.ROOT, "latency: %,d samples after %,d; fan-out: %d members, %d s after %d s",
                    samples, warmupSamples, members, seconds, warmupSeconds);
        }
    }

    record Latency(String setup, int samples, double p50Micros, double p99Micros) {
    }

    record FanOut(String setup, int members, double seconds, double framesPerSecond) {
    }

    /** What {@code cluster.json} holds. */
    record Run(String variant, Settings settings, List<Latency> latency, List<FanOut> fanOut) {

        Optional<Latency> latency(String setup) {
            return latency.stream().filter(l -> l.setup().equals(setup)).findFirst();
        }

        Optional<FanOut> fanOut(String setup) {
            return fanOut.stream().filter(f -> f.setup().equals(setup)).findFirst();
        }
    }

    private ClusterBench() {
    }

    /** What {@code bench cluster} was asked for; {@code help} alone means print the usage and stop. */
    record Options(Settings settings, String variant, boolean updateDocs, Path results, boolean help) {
    }

    /**
     * {@code ./chat bench cluster ARGS}: measures, prints the table, and with {@code --update-docs}
     * fills lesson 09's README. Returns the exit status: 0, or 2 for a bad option, which is one line
     * on {@code err}.
     */
    public static int run(List<String> args, PrintWriter out, PrintWriter err) throws IOException {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("bench cluster: " + e.getMessage() + " (see bench cluster --help)");
            return 2;
        }
        if (options.help()) {
            out.print(USAGE);
            out.flush();
            return 0;
        }
        Path run = measure(options.settings(), options.variant(), options.results(), true);
        if (options.updateDocs()) {
            int changed = ClusterFigures.update(Path.of(""), run);
            out.printf("filled the figures of %d README%n", changed);
            out.flush();
        }
        return 0;
    }

    /** The options, or an {@link IllegalArgumentException} whose message says in one line what is wrong. */
    static Options parse(List<String> args) {
        Settings settings = Settings.QUICK;
        String variant = "nio-selector";
        boolean updateDocs = false;
        Path results = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--quick" -> settings = Settings.QUICK;
                case "--smoke" -> settings = Settings.SMOKE;
                case "--variant" -> variant = BenchVariants.require(value(args, ++i, arg)).name();
                case "--update-docs" -> updateDocs = true;
                case "--results" -> results = Path.of(value(args, ++i, arg));
                case "-h", "--help" -> {
                    return new Options(settings, variant, updateDocs, results, true);
                }
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (results == null) {
            results = updateDocs ? Path.of("benchmarks", "results") : Path.of("benchmarks", "target", "results");
        }
        return new Options(settings, variant, updateDocs, results, false);
    }

    /**
     * Measures every setup and writes the run into a new directory under {@code results}, which it
     * returns. {@code pin}: whether to pin this JVM and the servers to CPUs; the smoke test does not,
     * as it runs inside the build's JVM.
     */
    static Path measure(Settings settings, String variant, Path results, boolean pin) throws IOException {
        OffsetDateTime start = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS);
        Path dir = results.resolve(start.format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss")) + "-cluster");
        Files.createDirectories(dir);
        long startNanos = System.nanoTime();
        List<Latency> latencies = new ArrayList<>();
        List<FanOut> fanOuts = new ArrayList<>();
        Optional<String> serverCpus = Optional.empty();
        RunInfo.Machine machine = RunInfo.Machine.current(); // before pinning, which leaves this JVM one core
        try (RedisProcess redis = RedisProcess.start(freePort(), dir.resolve("redis-data"), ProcessBuilder.Redirect.DISCARD)) {
            if (pin) {
                serverCpus = CpuPinning.pinLoadGenerator();
                serverCpus.ifPresent(cpus -> System.setProperty(CpuPinning.SERVER_CPUS, cpus));
            }
            System.out.printf("Redis %d on port %d; %s; %s%n", redis.pid(), redis.port(),
                    CpuPinning.describe(serverCpus), settings.describe());
            int room = 0;
            for (Setup setup : Setup.values()) {
                String cluster = setup.clustered ? redis.uri() + "?room=bench-" + ++room : ClusterServerMain.ALONE;
                latencies.add(latency(setup, variant, cluster, settings));
                System.out.println(latencies.getLast());
                cluster = setup.clustered ? redis.uri() + "?room=bench-" + ++room : ClusterServerMain.ALONE;
                fanOuts.add(fanOut(setup, variant, cluster, settings));
                System.out.println(fanOuts.getLast());
            }
        } finally {
            RedisProcess.deleteData(dir.resolve("redis-data"));
        }
        long wallSeconds = (System.nanoTime() - startNanos) / 1_000_000_000L;
        Run run = new Run(variant, settings, latencies, fanOuts);
        RunInfo info = new RunInfo(start.toString(), "cluster-" + settings.profile(), settings.describe(),
                machine, RunInfo.currentJdk(),
                List.of(BenchVariants.all().stream().filter(m -> m.name().equals(variant))
                        .map(m -> new RunInfo.Variant(m.name(), m.lesson(), m.summary())).findFirst().orElseThrow()),
                List.of("cluster-latency", "cluster-fan-out"), List.of(), wallSeconds,
                CpuPinning.describe(serverCpus) + "; Redis on any CPU (started before the pinning)", null);
        Files.writeString(dir.resolve(RESULTS), RunInfo.gson().toJson(run), StandardCharsets.UTF_8);
        info.write(dir);
        System.out.print(table(run));
        System.out.printf("Measured in %d min %d s; results in %s%n", wallSeconds / 60, wallSeconds % 60, dir);
        return dir;
    }

    /** Send, wait until the other client has it, send the next. */
    private static Latency latency(Setup setup, String variant, String cluster, Settings settings) throws IOException {
        List<ServerProcess> servers = start(setup, variant, 2, cluster);
        try (ChatClient sender = join(servers.getFirst().address());
             ChatClient receiver = join(servers.getLast().address())) {
            Histogram histogram = new Histogram(3);
            for (int i = 0; i < settings.warmupSamples() + settings.samples(); i++) {
                String text = "latency " + i;
                long sent = System.nanoTime();
                sender.send(text);
                awaitMessage(receiver, text);
                long took = System.nanoTime() - sent;
                awaitMessage(sender, text); // its own copy, so that nothing queues up
                if (i >= settings.warmupSamples()) {
                    histogram.recordValue(Math.max(0, took));
                }
            }
            return new Latency(setup.id, settings.samples(), histogram.getValueAtPercentile(50) / 1_000.0,
                    histogram.getValueAtPercentile(99) / 1_000.0);
        } finally {
            closeAll(servers);
        }
    }

    /** One member talks, every member counts what it receives. */
    private static FanOut fanOut(Setup setup, String variant, String cluster, Settings settings) throws IOException {
        int members = settings.members();
        List<ServerProcess> servers = start(setup, variant, members, cluster);
        List<ChatClient> clients = new ArrayList<>();
        LongAdder delivered = new LongAdder();
        Semaphore window = new Semaphore(WINDOW * members);
        CountDownLatch synced = new CountDownLatch(members);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long count;
        double seconds;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            // Closing every client ends every reader, so that closing the executor does not wait forever.
            try {
                for (int i = 0; i < members; i++) {
                    clients.add(join(servers.get(i % servers.size()).address()));
                }
                for (ChatClient member : clients) {
                    threads.submit(() -> count(member, delivered, window, synced, failure));
                }
                ChatClient sender = clients.getFirst();
                sender.send("sync"); // every member has joined once every member has this
                if (!synced.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new IOException("the members did not all receive the first message within " + WAIT);
                }
                Future<?> talking = threads.submit(() -> talk(sender, members, window));
                TimeUnit.SECONDS.sleep(settings.warmupSeconds()); // a benchmark's warm-up: time, not an event
                long before = delivered.sum();
                long from = System.nanoTime();
                TimeUnit.SECONDS.sleep(settings.seconds());
                count = delivered.sum() - before;
                seconds = (System.nanoTime() - from) / 1e9;
                talking.cancel(true);
            } finally {
                for (ChatClient client : clients) {
                    client.close();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            closeAll(servers);
        }
        if (failure.get() != null) {
            throw new IOException(setup.label + ": a member failed", failure.get());
        }
        return new FanOut(setup.id, members, seconds, count / seconds);
    }

    private static Void talk(ChatClient sender, int members, Semaphore window) throws IOException, InterruptedException {
        while (!Thread.currentThread().isInterrupted()) {
            window.acquire(members);
            sender.send(FanOutDriver.MESSAGE);
        }
        return null;
    }

    private static Void count(ChatClient member, LongAdder delivered, Semaphore window, CountDownLatch synced,
                              AtomicReference<Throwable> failure) {
        try {
            for (String frame = member.receive(); frame != null; frame = member.receive()) {
                if (frame.endsWith("] sync")) {
                    synced.countDown();
                } else if (frame.startsWith("[")) {
                    delivered.increment();
                    window.release();
                }
            }
        } catch (IOException e) {
            if (!member.socket().isClosed()) {
                failure.compareAndSet(null, e);
            }
        }
        return null;
    }

    private static List<ServerProcess> start(Setup setup, String variant, int clients, String cluster)
            throws IOException {
        List<ServerProcess> servers = new ArrayList<>();
        try {
            for (int i = 0; i < setup.servers; i++) {
                servers.add(ServerProcess.start(ClusterServerMain.class, List.of(variant, Integer.toString(clients), cluster)));
            }
            return servers;
        } catch (IOException | RuntimeException e) {
            closeAll(servers);
            throw e;
        }
    }

    private static ChatClient join(InetSocketAddress server) throws IOException {
        ChatClient client = ChatClient.connect(server);
        String welcome = client.receive(WAIT);
        if (welcome == null || !welcome.startsWith("* welcome ")) {
            client.close();
            throw new IOException("expected a welcome from " + server + ", got " + welcome);
        }
        return client;
    }

    /** Reads until the message {@code text} arrives; join notices may come first. */
    private static void awaitMessage(ChatClient client, String text) throws IOException {
        for (String frame = client.receive(WAIT); ; frame = client.receive(WAIT)) {
            if (frame == null) {
                throw new IOException("the server closed the connection while waiting for \"" + text + "\"");
            }
            if (frame.startsWith("[") && frame.endsWith("] " + text)) {
                return;
            }
        }
    }

    static String table(Run run) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n%s: %-24s %12s %12s %16s%n",
                run.variant(), "", "p50 (µs)", "p99 (µs)", "fan-out frames/s"));
        for (Setup setup : Setup.values()) {
            out.append(String.format(Locale.ROOT, "  %-36s %12s %12s %16s%n", setup.label,
                    run.latency(setup.id).map(l -> String.format(Locale.ROOT, "%,.0f", l.p50Micros())).orElse("-"),
                    run.latency(setup.id).map(l -> String.format(Locale.ROOT, "%,.0f", l.p99Micros())).orElse("-"),
                    run.fanOut(setup.id).map(f -> String.format(Locale.ROOT, "%,.0f", f.framesPerSecond())).orElse("-")));
        }
        return out.toString();
    }

    private static void closeAll(List<ServerProcess> servers) {
        servers.forEach(ServerProcess::close);
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private static String value(List<String> args, int index, String option) {
        if (index >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(index);
    }
}

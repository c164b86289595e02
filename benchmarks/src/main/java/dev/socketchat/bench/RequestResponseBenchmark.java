package dev.socketchat.bench;

import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * <b>Request/response</b>: how many {@code !ping} round trips per second a server answers with 1,
 * 100 and 1,000 clients connected at once, and how long a round trip takes (p50, p99, p99.9).
 *
 * <p>This is the cost of the model on the simplest request: read a frame, decide, write a frame.
 * With one client it is mostly latency (one wakeup chain per request); with many it shows how the
 * model shares two cores between connections: threads that the kernel schedules, or one loop.
 *
 * <h2>How it is measured</h2>
 * <ul>
 *   <li>The server runs in its own JVM ({@link ServerProcess}); this JVM only generates load, with
 *       one {@link PingPongDriver} thread for all clients.</li>
 *   <li>Each client keeps {@value #WINDOW} pings in flight (pipelining), and sends the next one as
 *       each reply comes back, so the server always has work and the driver never waits on a
 *       single request. Latency is therefore the round trip under that load, including the time a
 *       ping waits behind the ones before it, not an idle server's best case.</li>
 *   <li>Throughput is JMH's score: each invocation waits for the next {@value #BATCH} replies, so
 *       JMH's own clock and counter give round trips per second.</li>
 *   <li>Latency comes from the driver's HdrHistogram, reset at each iteration and
 *       published by {@link MetricsProfiler} as {@code latency.p50/p99/p999} in microseconds,
 *       averaged over iterations. JMH's {@code SampleTime} mode cannot do this: it times the JMH
 *       thread's calls, and here requests are sent and answered on the driver's thread.</li>
 *   <li>What the server spent per round trip over the same iteration (CPU time, system calls,
 *       context switches, heap bytes) comes from {@link ServerCosts}, published as {@code cost.*}.</li>
 *   <li>A variant that serves fewer clients at once than a level asks for (one, for lesson 01) is
 *       not run at that level: the runner records why (see {@link Workload#whyNot}).</li>
 * </ul>
 *
 * <h2>How to run it</h2>
 * <pre>
 * ./chat bench --variants thread-per-client --workloads request-response
 * java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main RequestResponseBenchmark \
 *      -p variant=thread-per-client -p clients=100 -prof dev.socketchat.bench.MetricsProfiler
 * </pre>
 * The variant has no default: it is always supplied, from {@code BenchVariants.all()} by the runner.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RequestResponseBenchmark {

    /** Pings each client keeps in flight; the report's charts say so on their axis. */
    public static final int WINDOW = 16;
    /** Round trips one benchmark invocation waits for. */
    static final int BATCH = 1_000;

    @Param({})
    public String variant;

    @Param({"1", "100", "1000"})
    public int clients;

    private ServerProcess server;
    private PingPongDriver driver;
    private long target;
    private Optional<ServerCosts> costs = Optional.empty();

    @Setup(Level.Trial)
    public void start() throws IOException {
        Workload workload = Workload.REQUEST_RESPONSE;
        Trials.requireServable(workload, variant, clients);
        server = ServerProcess.start(workload, variant, clients);
        try {
            driver = new PingPongDriver(server.address(), clients, WINDOW);
            Trials.requireAllWelcomed(driver.connect(clients, Trials.connectTimeout(clients)), clients);
            driver.start();
        } catch (IOException | RuntimeException e) {
            stop();
            throw e;
        }
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) throws IOException {
        IterationStart start = IterationStart.open(
                () -> ServerCosts.open(server, driver::completedSoFar, iteration), driver::completedSoFar);
        costs = start.costs();
        target = start.completed();
        driver.takeLatencies(); // and the latencies from here on, not those of the window opening
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void roundTrips() throws IOException {
        target += BATCH;
        // Blocks until the driver has counted the next BATCH replies.
        driver.awaitCompleted(target);
    }

    @TearDown(Level.Iteration)
    public void publishLatenciesAndCosts() throws IOException {
        costs.ifPresent(ServerCosts::closeAndPublish);
        // A percentile is the highest value its bucket holds: like every latency here, never understated.
        Histogram latencies = driver.takeLatencies();
        Metrics.publish(Metrics.Names.P50, micros(latencies.getValueAtPercentile(50)), "us");
        Metrics.publish(Metrics.Names.P99, micros(latencies.getValueAtPercentile(99)), "us");
        Metrics.publish(Metrics.Names.P999, micros(latencies.getValueAtPercentile(99.9)), "us");
    }

    @TearDown(Level.Trial)
    public void stop() {
        Trials.closeAll(driver, server);
    }

    private static double micros(long nanos) {
        return nanos / 1_000.0;
    }
}

package dev.socketchat.bench;

import dev.socketchat.load.ClientDriver;
import dev.socketchat.load.Proc;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * <b>Capacity</b>: what it costs a server to hold 1,000, 5,000 and 10,000 idle clients: the
 * resident memory and the threads of its process, and the time it takes to accept them all; and
 * 19,000, close to the 20,000 files one process may open here, in the docs run.
 *
 * <p>Most chat clients are idle most of the time. A model whose cost grows with connections
 * (threads, stacks, buffers) rather than with traffic meets its limit here, long before the CPU is
 * busy.
 *
 * <h2>How it is measured</h2>
 * <ul>
 *   <li>Each iteration starts a fresh server process ({@link ServerProcess}) with the model's
 *       default options (its default pool size, too: see {@link Workload}), reads its
 *       {@code /proc/<pid>/status} while idle, then connects the clients from one
 *       {@link IdleDriver} thread, at most 128 waiting for their welcome at a time.</li>
 *   <li>The score (single shot) is the time from the first connect to the last welcome frame.</li>
 *   <li>With every client in, {@code VmRSS} and {@code Threads} of the server process are read
 *       again and published with the idle values ({@code server.rss}, {@code server.rss.idle} in
 *       MiB, {@code server.threads}, {@code server.threads.idle}) and the clients held and refused
 *       ({@code clients.held}, {@code clients.refused}).</li>
 *   <li>A model that cannot hold a level is not an error: connecting stops at the number of
 *       clients the model says it serves at once, or when clients are refused or the deadline
 *       passes, and {@code clients.held} reports how many got in.</li>
 * </ul>
 *
 * <h2>How to run it</h2>
 * <pre>
 * ./chat bench --variants thread-per-client --workloads capacity
 * java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main CapacityBenchmark \
 *      -p variant=thread-per-client -p clients=1000 -prof dev.socketchat.bench.MetricsProfiler
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CapacityBenchmark {

    @Param({})
    public String variant;

    @Param({"1000", "5000", "10000"})
    public int clients;

    private ServerProcess server;
    private IdleDriver driver;
    private Proc.Status idle;
    private int servable;

    @Setup(Level.Iteration)
    public void start() throws IOException {
        Workload workload = Workload.CAPACITY;
        servable = workload.servable(BenchVariants.require(variant), clients);
        server = ServerProcess.start(workload, variant, clients);
        try {
            idle = server.status();
            driver = new IdleDriver(server.address(), clients);
        } catch (IOException | RuntimeException e) {
            stop();
            throw e;
        }
    }

    @Benchmark
    public ClientDriver.Joined hold() throws IOException {
        // Blocks until every client the model can serve is welcomed, or they are refused, or time is up.
        return driver.connect(servable, Trials.connectTimeout(clients));
    }

    @TearDown(Level.Iteration)
    public void stop() throws IOException {
        try {
            if (driver != null && server != null) {
                Proc.Status holding = server.status();
                int held = driver.held();
                Metrics.publish(Metrics.Names.HELD, held, "clients");
                Metrics.publish(Metrics.Names.REFUSED, clients - held, "clients");
                Metrics.publish(Metrics.Names.RSS, holding.residentMiB(), "MiB");
                Metrics.publish(Metrics.Names.RSS_IDLE, idle.residentMiB(), "MiB");
                Metrics.publish(Metrics.Names.THREADS, holding.threads(), "threads");
                Metrics.publish(Metrics.Names.THREADS_IDLE, idle.threads(), "threads");
            }
        } finally {
            Trials.closeAll(driver, server);
            driver = null;
            server = null;
        }
    }
}

package dev.socketchat.bench;

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
 * <b>Fan-out</b>: how many chat frames per second a server delivers when one member of a room of
 * 10, 100 or 1,000 clients talks and everyone listens.
 *
 * <p>This is what a chat server mostly does: one frame in, N frames out. It shows what each model
 * pays per delivery: a wakeup of a writer thread per recipient, or one event loop that writes to
 * every socket that is ready; one system call per frame, or one per socket per loop turn when
 * writes are coalesced; the frame encoded once per broadcast (docs/protocol.md §7) or once per member.
 *
 * <h2>How it is measured</h2>
 * <ul>
 *   <li>The server runs in its own JVM ({@link ServerProcess}); one {@link FanOutDriver} thread in
 *       this JVM drives every member. Member 0 sends {@value FanOutDriver#MESSAGE}-sized messages
 *       (32 bytes of text) and every member, the sender included, receives each one.</li>
 *   <li>The sender keeps at most {@value #WINDOW} messages in flight that not every member has
 *       received, so no member falls far enough behind to be dropped as a slow consumer.</li>
 *   <li>The score is frames delivered per second, counted over all members: each invocation waits
 *       for the next {@value #BATCH} deliveries. Messages per second is the score divided by the
 *       room size.</li>
 *   <li>What the server spent per delivered frame over the same iteration (CPU time, system calls,
 *       context switches, heap bytes) comes from {@link ServerCosts}, published as {@code cost.*}.</li>
 *   <li>A variant that serves fewer clients at once than the room holds is not run at that size;
 *       the runner records why.</li>
 * </ul>
 *
 * <h2>How to run it</h2>
 * <pre>
 * ./chat bench --variants thread-per-client --workloads fan-out
 * java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main FanOutBenchmark \
 *      -p variant=thread-per-client -p clients=100
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FanOutBenchmark {

    /** Messages the sender may have in flight before every member has received them. */
    static final int WINDOW = 128;
    /** Deliveries one benchmark invocation waits for. */
    static final int BATCH = 10_000;

    @Param({})
    public String variant;

    /** The room size: members, the sender included. */
    @Param({"10", "100", "1000"})
    public int clients;

    private ServerProcess server;
    private FanOutDriver driver;
    private long target;
    private Optional<ServerCosts> costs = Optional.empty();

    @Setup(Level.Trial)
    public void start() throws IOException {
        Workload workload = Workload.FAN_OUT;
        Trials.requireServable(workload, variant, clients);
        server = ServerProcess.start(workload, variant, clients);
        try {
            driver = new FanOutDriver(server.address(), clients, WINDOW);
            Trials.requireAllWelcomed(driver.connect(clients, Trials.connectTimeout(clients)), clients);
            driver.start();
        } catch (IOException | RuntimeException e) {
            stop();
            throw e;
        }
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
        IterationStart start = IterationStart.open(
                () -> ServerCosts.open(server, driver::completedSoFar, iteration), driver::completedSoFar);
        costs = start.costs();
        target = start.completed();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void deliveries() throws IOException {
        target += BATCH;
        // Blocks until the driver has counted the next BATCH frames delivered.
        driver.awaitCompleted(target);
    }

    @TearDown(Level.Iteration)
    public void publishCosts() {
        costs.ifPresent(ServerCosts::closeAndPublish);
    }

    @TearDown(Level.Trial)
    public void stop() {
        Trials.closeAll(driver, server);
    }
}

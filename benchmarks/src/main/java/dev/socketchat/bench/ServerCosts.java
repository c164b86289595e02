package dev.socketchat.bench;

import dev.socketchat.load.Proc;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the server under test spent on the messages of one iteration, per message: CPU time, system
 * calls (by name where perf counts them), reads and writes, context switches, heap bytes allocated.
 * These are counts of work, not of time: the kernel and the JVM count them whatever the hypervisor
 * takes, so they explain a throughput bar and hold still where it does not.
 *
 * <p>A benchmark {@linkplain #open opens} a window when its iteration starts and
 * {@linkplain #closeAndPublish closes} it when it ends, with a counter of the messages its driver
 * has seen: round trips for request/response, delivered frames for fan-out. The driver keeps
 * running while the counters are read (reading a thousand threads' status takes milliseconds), so
 * each source is read between two looks at the message count and is matched with their midpoint:
 * every figure is work over messages in the same window.
 *
 * <p>A figure that cannot be counted here (no perf, no {@code /proc}) is not published, and the
 * report shows "n/a" for it, never 0. Two of the sources do work inside the server: perf's
 * tracepoints run on every system call it makes, and the allocation count is a question its JVM
 * answers. To measure what they cost, the system property {@value #SWITCH} set to
 * {@value #ALTERNATE} (the runner's {@code --counting-cost}) leaves them out of every other measured
 * iteration, so that each counted second has an uncounted one beside it on the same server, and
 * publishes which was which ({@link Metrics.Names#COUNTED}). Two whole runs, one counted and one
 * not, cannot show a cost of a few percent here: whole runs differ by more than that
 * (benchmarks/README.md, "Counting on and off"). {@code /proc} is read either way: the kernel reads those counters on the reader's
 * thread, so they cost the server nothing.
 */
public final class ServerCosts {

    /** The system property that makes every other measured iteration leave the counters inside the server out. */
    public static final String SWITCH = "bench.counters";
    /** The value of {@value #SWITCH} that does. */
    public static final String ALTERNATE = "alternate";
    /** What a run with {@value #SWITCH} {@value #ALTERNATE} counted, in words for its report. */
    public static final String ALTERNATING = "; every other measured iteration without perf and the JVM's "
            + "allocation count (--counting-cost)";

    /** Measured iterations opened in this JVM: JMH runs each trial in a fork of its own. */
    private static final AtomicInteger MEASURED = new AtomicInteger();

    /** A value read between two looks at the message count, and the midpoint of the two. */
    record Reading<T>(T value, double messages) {

        static <T> Reading<T> between(Supplier<T> source, LongSupplier messages) {
            long before = messages.getAsLong();
            T value = source.get();
            long after = messages.getAsLong();
            return new Reading<>(value, (before + after) / 2.0);
        }
    }

    private final ServerProcess server;
    private final LongSupplier messages;
    // perf and the allocation count, the sources that run inside the server.
    private final boolean inServer;
    private final boolean alternating;
    private final Optional<SyscallCounter> perf;
    private final double perfStart;
    private final Reading<Optional<Proc.Counters>> procStart;
    private final Reading<OptionalLong> allocatedStart;

    private ServerCosts(ServerProcess server, LongSupplier messages, boolean inServer, boolean alternating) {
        this.server = server;
        this.messages = messages;
        this.inServer = inServer;
        this.alternating = alternating;
        this.perf = inServer ? SyscallCounter.attach(server.pid()) : Optional.empty();
        this.perfStart = messages.getAsLong();
        this.procStart = Reading.between(() -> Proc.counters(server.pid()), messages);
        this.allocatedStart = Reading.between(this::allocatedBytes, messages);
    }

    /**
     * Starts counting what {@code server} spends in this iteration, or returns empty when the
     * iteration is a warm-up, whose results JMH drops: attaching perf to a server of a few hundred
     * threads takes seconds, which a run should not spend on figures nobody reads.
     */
    static Optional<ServerCosts> open(ServerProcess server, LongSupplier messages, IterationParams iteration) {
        if (iteration.getType() == IterationType.WARMUP) {
            return Optional.empty();
        }
        boolean alternating = ALTERNATE.equals(System.getProperty(SWITCH));
        return Optional.of(new ServerCosts(server, messages, countsInside(alternating, MEASURED.getAndIncrement()),
                alternating));
    }

    /** Whether the measured iteration {@code index} (from 0) counts inside the server: every one, or every other. */
    static boolean countsInside(boolean alternating, int index) {
        return !alternating || index % 2 == 0;
    }

    private OptionalLong allocatedBytes() {
        return inServer ? server.allocatedBytes() : OptionalLong.empty();
    }

    /** Stops counting and publishes every figure it has, per message, as {@link Metrics} of the iteration. */
    void closeAndPublish() {
        if (alternating) {
            Metrics.publish(Metrics.Names.COUNTED, inServer ? 1 : 0, "counted");
        }
        Reading<OptionalLong> allocatedEnd = Reading.between(this::allocatedBytes, messages);
        Reading<Optional<Proc.Counters>> procEnd = Reading.between(() -> Proc.counters(server.pid()), messages);
        long perfEnd = messages.getAsLong();
        Optional<Map<String, Long>> syscalls = perf.flatMap(SyscallCounter::stop);

        if (procStart.value().isPresent() && procEnd.value().isPresent()) {
            Proc.Delta delta = procEnd.value().get().since(procStart.value().get());
            double count = procEnd.messages() - procStart.messages();
            perMessage(delta.cpuMicros(), count).ifPresent(v -> Metrics.publish(Metrics.Names.CPU, v, "us/msg"));
            perMessage(delta.switches(), count).ifPresent(v -> Metrics.publish(Metrics.Names.SWITCHES, v, "switches/msg"));
            Metrics.publish(Metrics.Names.THREADS_ENDED, delta.threadsEnded(), "threads");
            delta.reads().ifPresent(reads -> perMessage(reads, count)
                    .ifPresent(v -> Metrics.publish(Metrics.Names.READS, v, "calls/msg")));
            delta.writes().ifPresent(writes -> perMessage(writes, count)
                    .ifPresent(v -> Metrics.publish(Metrics.Names.WRITES, v, "calls/msg")));
        }
        if (allocatedStart.value().isPresent() && allocatedEnd.value().isPresent()) {
            perMessage(allocatedEnd.value().getAsLong() - allocatedStart.value().getAsLong(),
                    allocatedEnd.messages() - allocatedStart.messages())
                    .ifPresent(v -> Metrics.publish(Metrics.Names.ALLOCATED, v, "B/msg"));
        }
        syscalls.ifPresent(calls -> calls.forEach((name, total) -> perMessage(total, perfEnd - perfStart)
                .ifPresent(v -> Metrics.publish(Metrics.Names.syscalls(name), v, "calls/msg"))));
    }

    /** {@code work} per message; empty when no message was counted, where a ratio would mean nothing. */
    static OptionalDouble perMessage(double work, double messages) {
        return messages > 0 ? OptionalDouble.of(work / messages) : OptionalDouble.empty();
    }
}

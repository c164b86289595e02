package dev.socketchat.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Measurements a benchmark publishes for the current iteration, next to JMH's own score:
 * latency percentiles, resident memory, threads, clients held.
 *
 * <p>JMH's {@code @AuxCounters} would add them up over iterations, which is right for counts and
 * wrong for a percentile or a memory size. So a benchmark publishes here in its iteration
 * tear-down, and {@link MetricsProfiler} hands the values to JMH as secondary results that are
 * averaged over iterations. Both run in the same (forked) JVM, one iteration at a time.
 */
public final class Metrics {

    /** One published value: its name in JMH's results, its value and unit. */
    public record Metric(String name, double value, String unit) {
    }

    private static final List<Metric> PUBLISHED = new ArrayList<>();

    private Metrics() {
    }

    /** Adds a value to the current iteration's results. */
    public static synchronized void publish(String name, double value, String unit) {
        PUBLISHED.add(new Metric(name, value, unit));
    }

    /** What was published since the last call. */
    static synchronized List<Metric> drain() {
        List<Metric> drained = List.copyOf(PUBLISHED);
        PUBLISHED.clear();
        return drained;
    }

    static synchronized void clear() {
        PUBLISHED.clear();
    }

    /** Metric names, shared by the benchmarks that publish them and the report that reads them. */
    public static final class Names {
        /** P50 round-trip latency, µs. */
        public static final String P50 = "latency.p50";
        /** P99 round-trip latency, µs. */
        public static final String P99 = "latency.p99";
        /** P99.9 round-trip latency, µs. */
        public static final String P999 = "latency.p999";
        /** Clients the server held: connected and welcomed, all at once. */
        public static final String HELD = "clients.held";
        /** Clients of the level the server did not hold. */
        public static final String REFUSED = "clients.refused";
        /** The server's resident memory holding the clients, MiB. */
        public static final String RSS = "server.rss";
        /** The server's resident memory before the first client, MiB. */
        public static final String RSS_IDLE = "server.rss.idle";
        /** The server's threads holding the clients. */
        public static final String THREADS = "server.threads";
        /** The share of the machine's CPU time the hypervisor took during the iteration, %. */
        public static final String STEAL = "machine.steal";
        /** The server's threads before the first client. */
        public static final String THREADS_IDLE = "server.threads.idle";
        /** The server's CPU time, user + system over all its threads, per message, µs. */
        public static final String CPU = "cost.cpu";
        /** The server's read-type system calls ({@code /proc/<pid>/io} syscr) per message. */
        public static final String READS = "cost.reads";
        /** The server's write-type system calls ({@code /proc/<pid>/io} syscw) per message. */
        public static final String WRITES = "cost.writes";
        /** The server's context switches, voluntary + involuntary over all its threads, per message. */
        public static final String SWITCHES = "cost.switches";
        /** Threads of the server that ended while its context switches were counted: then they are a lower bound. */
        public static final String THREADS_ENDED = "cost.threads.ended";
        /**
         * 1 for an iteration counted inside the server (perf, the allocation count), 0 for one that
         * was not; published only by a run that alternates them ({@code --counting-cost}).
         */
        public static final String COUNTED = "cost.counted";
        /** Heap bytes the server's JVM allocated per message. */
        public static final String ALLOCATED = "cost.allocated";
        /** Every system call of the server per message, counted by perf: {@code syscalls("all")}. */
        public static final String SYSCALLS = syscalls("all");
        /** The prefix of the system calls per message by name: {@code cost.syscalls.futex}. */
        public static final String SYSCALLS_PREFIX = "cost.syscalls.";

        /** The name of the {@code call} system calls per message ({@code all} for every call). */
        public static String syscalls(String call) {
            return SYSCALLS_PREFIX + call;
        }

        private Names() {
        }
    }
}

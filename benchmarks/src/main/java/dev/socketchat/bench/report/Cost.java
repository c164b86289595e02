package dev.socketchat.bench.report;

import dev.socketchat.bench.Metrics;
import dev.socketchat.bench.Workload;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The server's costs per message, as every part of the report shows them: the closing table, the
 * docs' tables, {@code summary.json} and the charts. A cost the run could not count (no perf, no
 * {@code /proc}) is "n/a" in text and null in JSON, never 0.
 *
 * <p>"Per message" is per round trip for request/response and per delivered frame for fan-out:
 * {@link #unit(Workload)} says which, and every table head says it too.
 */
enum Cost {

    CPU("cpu", Metrics.Names.CPU, "cpu_us_per_msg", "CPU µs"),
    SYSCALLS("syscalls", Metrics.Names.SYSCALLS, "syscalls_per_msg", "syscalls"),
    READS("reads", Metrics.Names.READS, "reads_per_msg", "reads"),
    WRITES("writes", Metrics.Names.WRITES, "writes_per_msg", "writes"),
    SWITCHES("switches", Metrics.Names.SWITCHES, "context_switches_per_msg", "ctx switches"),
    ALLOCATED("alloc", Metrics.Names.ALLOCATED, "bytes_allocated_per_msg", "alloc bytes");

    /** What {@link #value} returns for a cost the run did not count. */
    static final String NOT_COUNTED = "n/a";

    private final String key;
    private final String metric;
    private final String field;
    private final String label;

    Cost(String key, String metric, String field, String label) {
        this.key = key;
        this.metric = metric;
        this.field = field;
        this.label = label;
    }

    /** Its name in a README's figure keys: {@code switches} in {@code switches-rt:V:N}. */
    String key() {
        return key;
    }

    /** The name of the metric the benchmarks publish. */
    String metric() {
        return metric;
    }

    /** The field's name in {@code summary.json}. */
    String field() {
        return field;
    }

    /** The column head in tables. */
    String label() {
        return label;
    }

    /** This cost of {@code result}, per message; empty where the run did not count it. */
    OptionalDouble of(Report.Result result) {
        return result.metric(metric).map(v -> OptionalDouble.of(v.score())).orElse(OptionalDouble.empty());
    }

    /** This cost of {@code result} as a table prints it, {@value #NOT_COUNTED} where not counted. */
    String text(Report.Result result) {
        OptionalDouble value = of(result);
        return value.isPresent() ? format(value.getAsDouble()) : NOT_COUNTED;
    }

    /** What one message is in {@code workload}: "round trip" or "delivered frame". */
    static String unit(Workload workload) {
        return workload == Workload.FAN_OUT ? "delivered frame" : "round trip";
    }

    /**
     * Two or three significant figures, whatever the size: 0.0021 context switches and 1,236 bytes
     * alike, so that an event loop's near-zero count does not print as 0.00.
     */
    static String format(double value) {
        if (value == 0 || Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (Math.abs(value) >= 1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.2g", value);
    }
}

package dev.socketchat.bench.report;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.socketchat.bench.Metrics;
import dev.socketchat.bench.Workload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * {@code summary.json}: a run's figures in one file a program can read, next to JMH's raw JSON
 * in the run's directory. One object per variant × workload × level, the run's machine, JDK,
 * pinning and duration, and capacity's figures. A figure the run did not count is {@code null},
 * never 0. The fields are those of issue 23:
 *
 * <pre>
 * { "date", "profile", "settings", "machine": {cpu, cores, memory_mib, os}, "jdk", "pinning",
 *   "duration_seconds", "counters",
 *   "results": [ { "variant", "workload", "clients", "per_message", "throughput", "throughput_unit",
 *                  "throughput_low", "throughput_high", "p99_us", "cpu_us_per_msg", "syscalls_per_msg",
 *                  "reads_per_msg", "writes_per_msg", "context_switches_per_msg",
 *                  "bytes_allocated_per_msg", "syscalls_by_name_per_msg": { "futex": 0.45, ... } } ],
 *   "capacity": [ { "variant", "clients", "held", "accept_ms", "rss_mib", "rss_idle_mib", "threads",
 *                   "threads_idle" } ],
 *   "memory_per_idle_client": [ { "variant", "kib_per_client", "between" } ],
 *   "counting_cost": [ { "variant", "workload", "clients", "pairs", "throughput_ratio_median",
 *                        "throughput_ratio_lowest", "throughput_ratio_highest" } ] }
 * </pre>
 *
 * {@code counting_cost} only in a {@code --counting-cost} run ({@link CountingCost}).
 *
 * {@code throughput_low} and {@code throughput_high} bound the interval the report's tie rule reads
 * ({@link Report.Value#ties}): JMH's 99.9% error, or half the range of a merged result's iterations.
 */
public final class Summary {

    /** The file name in a run's directory. */
    public static final String FILE = "summary.json";

    private Summary() {
    }

    /** Writes the {@value #FILE} of the run in {@code dir}, from the files the run wrote there. */
    public static void write(Path dir) throws IOException {
        write(Report.read(dir), dir);
    }

    static void write(Report report, Path dir) throws IOException {
        String json = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create()
                .toJson(of(report));
        Files.writeString(dir.resolve(FILE), json + "\n", StandardCharsets.UTF_8);
    }

    static JsonObject of(Report report) {
        RunInfo run = report.run();
        JsonObject summary = new JsonObject();
        summary.addProperty("date", run.date());
        summary.addProperty("profile", run.profile());
        summary.addProperty("settings", run.settings());
        JsonObject machine = new JsonObject();
        machine.addProperty("cpu", run.machine().cpu());
        machine.addProperty("cores", run.machine().cores());
        machine.addProperty("memory_mib", run.machine().memoryMiB());
        machine.addProperty("os", run.machine().os());
        summary.add("machine", machine);
        summary.addProperty("jdk", run.jdk());
        summary.addProperty("pinning", run.pinning());
        summary.addProperty("duration_seconds", run.wallSeconds());
        summary.addProperty("counters", run.counters());

        JsonArray results = new JsonArray();
        JsonArray capacity = new JsonArray();
        for (Report.Result r : report.results()) {
            if (r.workload() == Workload.CAPACITY) {
                capacity.add(capacity(r));
            } else {
                results.add(throughput(r));
            }
        }
        summary.add("results", results);
        summary.add("capacity", capacity);
        JsonArray memory = new JsonArray();
        for (Headlines h : Headlines.of(report)) {
            if (h.kibPerClient().isPresent()) {
                JsonObject slope = new JsonObject();
                slope.addProperty("variant", h.variant());
                slope.addProperty("kib_per_client", h.kibPerClient().getAsDouble());
                slope.addProperty("between", h.slopeLevels());
                memory.add(slope);
            }
        }
        summary.add("memory_per_idle_client", memory);
        List<CountingCost> countingCost = CountingCost.of(report);
        if (!countingCost.isEmpty()) {
            JsonArray pairs = new JsonArray();
            for (CountingCost row : countingCost) {
                JsonObject cost = new JsonObject();
                cost.addProperty("variant", row.variant());
                cost.addProperty("workload", row.workload().id());
                cost.addProperty("clients", row.clients());
                cost.addProperty("pairs", row.pairs());
                cost.addProperty("throughput_ratio_median", row.median());
                cost.addProperty("throughput_ratio_lowest", row.lowest());
                cost.addProperty("throughput_ratio_highest", row.highest());
                pairs.add(cost);
            }
            summary.add("counting_cost", pairs);
        }
        return summary;
    }

    private static JsonObject throughput(Report.Result r) {
        JsonObject row = new JsonObject();
        row.addProperty("variant", r.variant());
        row.addProperty("workload", r.workload().id());
        row.addProperty("clients", r.clients());
        row.addProperty("per_message", Cost.unit(r.workload()));
        row.add("throughput", number(r.score().score()));
        row.addProperty("throughput_unit", r.workload() == Workload.FAN_OUT ? "frames delivered/s" : "round trips/s");
        row.add("throughput_low", number(r.score().low()));
        row.add("throughput_high", number(r.score().high()));
        row.add("p99_us", metric(r, Metrics.Names.P99));
        for (Cost cost : Cost.values()) {
            row.add(cost.field(), number(cost.of(r)));
        }
        JsonObject byName = new JsonObject();
        for (Map.Entry<String, Report.Value> metric : r.secondary().entrySet()) {
            String name = metric.getKey();
            if (name.startsWith(Metrics.Names.SYSCALLS_PREFIX) && !name.equals(Metrics.Names.SYSCALLS)) {
                byName.add(name.substring(Metrics.Names.SYSCALLS_PREFIX.length()), number(metric.getValue().score()));
            }
        }
        row.add("syscalls_by_name_per_msg", byName);
        return row;
    }

    private static JsonObject capacity(Report.Result r) {
        JsonObject row = new JsonObject();
        row.addProperty("variant", r.variant());
        row.addProperty("clients", r.clients());
        row.add("held", metric(r, Metrics.Names.HELD));
        row.add("accept_ms", number(r.score().score()));
        row.add("rss_mib", metric(r, Metrics.Names.RSS));
        row.add("rss_idle_mib", metric(r, Metrics.Names.RSS_IDLE));
        row.add("threads", metric(r, Metrics.Names.THREADS));
        row.add("threads_idle", metric(r, Metrics.Names.THREADS_IDLE));
        return row;
    }

    private static JsonElement metric(Report.Result r, String name) {
        return r.metric(name).map(v -> number(v.score())).orElse(JsonNull.INSTANCE);
    }

    private static JsonElement number(OptionalDouble value) {
        return value.isPresent() ? number(value.getAsDouble()) : JsonNull.INSTANCE;
    }

    /** A number, or null for NaN, which JSON cannot hold: a figure without a value is "not known". */
    private static JsonElement number(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? JsonNull.INSTANCE : new JsonPrimitive(value);
    }
}

package dev.socketchat.bench.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The schema of {@code summary.json}: the fields issue 23 asks for, null where a cost was not counted. */
class SummaryTest {

    /** Every field of a request/response or fan-out object. */
    static final List<String> RESULT_FIELDS = List.of("variant", "workload", "clients", "per_message", "throughput",
            "throughput_unit", "throughput_low", "throughput_high", "p99_us", "cpu_us_per_msg", "syscalls_per_msg",
            "reads_per_msg", "writes_per_msg", "context_switches_per_msg", "bytes_allocated_per_msg",
            "syscalls_by_name_per_msg");
    /** Every field of the run as a whole. */
    static final List<String> RUN_FIELDS = List.of("date", "profile", "settings", "machine", "jdk", "pinning",
            "duration_seconds", "counters", "results", "capacity", "memory_per_idle_client");
    /** Every field of a capacity object. */
    static final List<String> CAPACITY_FIELDS = List.of("variant", "clients", "held", "accept_ms", "rss_mib",
            "rss_idle_mib", "threads", "threads_idle");

    @Test
    void holdsOneObjectPerVariantWorkloadAndLevelWithTheRunsMachineAndEveryCost(@TempDir Path dir) throws IOException {
        new RunInfo("2026-12-07T15:00:00Z", "quick", "test", new RunInfo.Machine("Xeon", 2, 4096, "Linux"), "Temurin 25",
                List.of(new RunInfo.Variant("thread-per-client", 2, "two"), new RunInfo.Variant("nio-selector", 4, "four")),
                List.of("request-response", "fan-out", "capacity"), List.of(), 61, "server on CPU 1", "perf stat").write(dir);
        Files.writeString(dir.resolve("results.json"), "["
                + roundTrips("thread-per-client", 100, 50_000, 2_000, """
                        , "cost.cpu" : %s, "cost.syscalls.all" : %s, "cost.syscalls.futex" : %s,
                        "cost.reads" : %s, "cost.writes" : %s, "cost.switches" : %s, "cost.allocated" : %s
                        """.formatted(metric(7.1), metric(1.25), metric(0.45), metric(0.35), metric(0.13),
                        metric(0.31), metric(412))) + ","
                // No perf and no allocation count: those costs are unknown, not zero.
                + roundTrips("nio-selector", 100, 120_000, 5_000, """
                        , "cost.cpu" : %s, "cost.reads" : %s, "cost.writes" : %s, "cost.switches" : %s
                        """.formatted(metric(2.1), metric(0.13), metric(0.13), metric(0.002))) + ","
                + capacity("nio-selector", 1_000, 60) + "," + capacity("nio-selector", 10_000, 150)
                + "]", StandardCharsets.UTF_8);

        Summary.write(dir);
        JsonObject summary = JsonParser.parseString(Files.readString(dir.resolve(Summary.FILE))).getAsJsonObject();

        assertThat(summary.keySet()).containsAll(RUN_FIELDS);
        assertThat(summary.getAsJsonObject("machine").get("cores").getAsInt()).isEqualTo(2);
        assertThat(summary.get("duration_seconds").getAsLong()).isEqualTo(61);
        assertThat(summary.get("pinning").getAsString()).isEqualTo("server on CPU 1");
        assertThat(summary.getAsJsonArray("results")).hasSize(2)
                .allSatisfy(result -> assertThat(result.getAsJsonObject().keySet()).containsAll(RESULT_FIELDS));

        JsonObject threads = find(summary, "thread-per-client");
        assertThat(threads.get("workload").getAsString()).isEqualTo("request-response");
        assertThat(threads.get("per_message").getAsString()).isEqualTo("round trip");
        assertThat(threads.get("throughput_low").getAsDouble()).isEqualTo(48_000);
        assertThat(threads.get("throughput_high").getAsDouble()).isEqualTo(52_000);
        assertThat(threads.get("cpu_us_per_msg").getAsDouble()).isEqualTo(7.1);
        assertThat(threads.get("syscalls_per_msg").getAsDouble()).isEqualTo(1.25);
        assertThat(threads.get("context_switches_per_msg").getAsDouble()).isEqualTo(0.31);
        assertThat(threads.get("bytes_allocated_per_msg").getAsDouble()).isEqualTo(412);
        assertThat(threads.getAsJsonObject("syscalls_by_name_per_msg").get("futex").getAsDouble()).isEqualTo(0.45);

        JsonObject nio = find(summary, "nio-selector");
        assertThat(nio.get("syscalls_per_msg").isJsonNull()).as("not counted is null, never 0").isTrue();
        assertThat(nio.get("bytes_allocated_per_msg").isJsonNull()).isTrue();
        assertThat(nio.get("reads_per_msg").getAsDouble()).isEqualTo(0.13);

        assertThat(summary.getAsJsonArray("capacity")).hasSize(2)
                .allSatisfy(level -> assertThat(level.getAsJsonObject().keySet()).containsAll(CAPACITY_FIELDS));
        JsonObject slope = summary.getAsJsonArray("memory_per_idle_client").get(0).getAsJsonObject();
        assertThat(slope.get("variant").getAsString()).isEqualTo("nio-selector");
        assertThat(slope.get("kib_per_client").getAsDouble()).as("90 MiB over 9,000 clients").isEqualTo(10.24);
    }

    private static JsonObject find(JsonObject summary, String variant) {
        for (JsonElement result : summary.getAsJsonArray("results")) {
            if (result.getAsJsonObject().get("variant").getAsString().equals(variant)) {
                return result.getAsJsonObject();
            }
        }
        throw new AssertionError("no result for " + variant);
    }

    private static String metric(double value) {
        return "{ \"score\" : " + value + ", \"scoreError\" : \"NaN\", \"scoreUnit\" : \"x/msg\" }";
    }

    private static String roundTrips(String variant, int clients, double score, double error, String costs) {
        return """
                { "benchmark" : "dev.socketchat.bench.RequestResponseBenchmark.roundTrips", "mode" : "thrpt",
                  "params" : { "clients" : "%d", "variant" : "%s" },
                  "primaryMetric" : { "score" : %s, "scoreError" : %s, "scoreUnit" : "ops/s" },
                  "secondaryMetrics" : { "latency.p99" : %s %s } }
                """.formatted(clients, variant, score, error, metric(900), costs);
    }

    private static String capacity(String variant, int clients, double rssMiB) {
        return """
                { "benchmark" : "dev.socketchat.bench.CapacityBenchmark.hold", "mode" : "ss",
                  "params" : { "clients" : "%d", "variant" : "%s" },
                  "primaryMetric" : { "score" : 10.0, "scoreError" : "NaN", "scoreUnit" : "ms" },
                  "secondaryMetrics" : { "clients.held" : %s, "server.rss" : %s, "server.rss.idle" : %s,
                                         "server.threads" : %s, "server.threads.idle" : %s } }
                """.formatted(clients, variant, metric(clients), metric(rssMiB), metric(40), metric(20), metric(18));
    }
}

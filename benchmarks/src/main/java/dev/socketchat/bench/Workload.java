package dev.socketchat.bench;

import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerOptions;

import java.time.Duration;
import java.util.Optional;

/**
 * The three workloads, and the one place that decides how a server is configured for each, so
 * that every variant in a workload runs with exactly the same {@link ServerOptions}.
 *
 * <p>Every server listens on an ephemeral loopback port, prints nothing, announces no joins or
 * leaves (with thousands of clients the notices would be the workload), and allows an idle time
 * longer than any run. The one option that differs between workloads is the pool size, which only
 * models with a pool read:
 * <ul>
 *   <li>request/response and fan-out ask each model for the options under which it serves that many
 *       clients ({@link ServerModel#optionsToServe}), so that a pool is measured serving the
 *       workload, not refusing it;</li>
 *   <li>capacity leaves the pool at the model's default: it asks how many idle clients each
 *       server holds as it ships, and a pool that runs out shows that as its result.</li>
 * </ul>
 */
public enum Workload {

    REQUEST_RESPONSE("request-response", RequestResponseBenchmark.class, true),
    FAN_OUT("fan-out", FanOutBenchmark.class, true),
    CAPACITY("capacity", CapacityBenchmark.class, false);

    /** Longer than any run: a benchmark client must never be dropped for being idle. */
    private static final Duration IDLE_TIMEOUT = Duration.ofHours(2);

    private final String id;
    private final Class<?> benchmark;
    private final boolean poolSizedToClients;

    Workload(String id, Class<?> benchmark, boolean poolSizedToClients) {
        this.id = id;
        this.benchmark = benchmark;
        this.poolSizedToClients = poolSizedToClients;
    }

    /** The name in file names and the report: {@code request-response}, {@code fan-out}, {@code capacity}. */
    public String id() {
        return id;
    }

    /** The JMH benchmark class that measures this workload; JMH names its results after it. */
    public Class<?> benchmark() {
        return benchmark;
    }

    /** The options {@code model}'s server runs with for this workload at this many clients. */
    public ServerOptions options(ServerModel model, int clients) {
        ServerOptions options = ServerOptions.defaults()
                .withPort(0)
                .withQuiet(true)
                .withNotices(false)
                .withIdleTimeout(IDLE_TIMEOUT)
                .withMaxClients(Math.max(ServerOptions.DEFAULT_MAX_CLIENTS, clients))
                // The fair-share limits are lifted out of the way: the benchmarks measure the models
                // at full speed, and their clients send far faster than any person.
                .withMaxClientsPerAddress(Integer.MAX_VALUE)
                .withMaxRate(Integer.MAX_VALUE)
                .withMaxBurst(Integer.MAX_VALUE);
        return poolSizedToClients ? model.optionsToServe(clients, options) : options;
    }

    /**
     * Why {@code model} cannot run this workload with {@code clients} clients, if it cannot: a model
     * that serves fewer clients at once would leave the others waiting forever. Capacity runs every
     * level and reports how many clients were held instead.
     */
    public Optional<String> whyNot(ServerModel model, int clients) {
        if (this == CAPACITY) {
            return Optional.empty();
        }
        int limit = model.concurrentClientLimit(options(model, clients)).orElse(Integer.MAX_VALUE);
        if (limit >= clients) {
            return Optional.empty();
        }
        return Optional.of("serves " + limit + (limit == 1 ? " client" : " clients") + " at a time");
    }

    /** How many clients {@code model} can serve at once with this workload's options at this level. */
    public int servable(ServerModel model, int clients) {
        return Math.min(clients, model.concurrentClientLimit(options(model, clients)).orElse(Integer.MAX_VALUE));
    }
}

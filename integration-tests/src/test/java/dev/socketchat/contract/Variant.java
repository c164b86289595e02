package dev.socketchat.contract;

import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerModels;
import dev.socketchat.server.ServerOptions;

import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

import static org.junit.jupiter.api.Assumptions.abort;

/**
 * A registered server model, as the suite runs it: each test says how many clients it needs at
 * once, and the variant either finds options under which its model serves that many, or the test
 * is skipped with the reason.
 *
 * <p>A model declares its real limit through {@link ServerModel#concurrentClientLimit}. Where the
 * limit is a pool size, the suite raises {@link ServerOptions#threads()} to what the test needs,
 * so a pool is never excused from a test it can pass; only a limit that does not move (one thread
 * serves one client) skips a test.
 */
record Variant(ServerModel model) {

    /**
     * Every model registered on the class path, in lesson order; or, while one works on a lesson,
     * only those named in the system property {@code contract.variants} (comma-separated, as in
     * {@code -Dcontract.variants=nio-selector,multi-reactor}).
     */
    static List<Variant> all() {
        List<Variant> variants = ServerModels.all().stream().map(Variant::new).toList();
        if (variants.isEmpty()) {
            throw new IllegalStateException("no ServerModel is registered: is all-lessons on the test class path?");
        }
        String wanted = System.getProperty("contract.variants", "").strip();
        if (wanted.isEmpty()) {
            return variants;
        }
        Set<String> names = Set.of(wanted.split("\\s*,\\s*"));
        List<Variant> chosen = variants.stream().filter(variant -> names.contains(variant.name())).toList();
        if (chosen.size() != names.size()) {
            throw new IllegalStateException("contract.variants names " + names + ", but the registered models are "
                    + variants.stream().map(Variant::name).toList());
        }
        return chosen;
    }

    String name() {
        return model.name();
    }

    /**
     * Options under which this model serves {@code clients} connections at once: {@code wanted}
     * itself, or {@code wanted} with the model's own setting raised (a larger pool). Aborts the
     * calling test (reported as skipped, with the reason) when the model cannot serve that many.
     */
    ServerOptions fit(ServerOptions wanted, int clients) {
        if (serves(model.concurrentClientLimit(wanted), clients)) {
            return wanted;
        }
        ServerOptions raised = model.optionsToServe(clients, wanted);
        OptionalInt limit = model.concurrentClientLimit(raised);
        if (serves(limit, clients)) {
            return raised;
        }
        int served = limit.getAsInt();
        return abort(name() + " serves " + served + (served == 1 ? " client" : " clients")
                + " at a time; this test needs " + clients);
    }

    /**
     * Options under which the model's own limit, not max clients, lets exactly {@code clients}
     * connections in at once. Aborts the calling test, with the reason, for a model that has no
     * such limit or cannot set it there.
     */
    ServerOptions limitedTo(int clients, ServerOptions wanted) {
        ServerOptions options = model.optionsToServe(clients, wanted);
        OptionalInt limit = model.concurrentClientLimit(options);
        if (limit.isEmpty()) {
            return abort(name() + " has no limit of its own below max clients, whose refusal is tested under limits");
        }
        if (limit.getAsInt() != clients) {
            int served = limit.getAsInt();
            return abort(name() + " serves " + served + (served == 1 ? " client" : " clients")
                    + " at a time whatever its options; the next one waits in the accept queue, as its lesson shows");
        }
        return options;
    }

    private static boolean serves(OptionalInt limit, int clients) {
        return limit.isEmpty() || limit.getAsInt() >= clients;
    }

    @Override
    public String toString() {
        return name();
    }
}

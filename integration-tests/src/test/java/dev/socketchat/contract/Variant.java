package dev.socketchat.contract;

import dev.socketchat.server.ModelSetting;
import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerModels;
import dev.socketchat.server.ServerOptions;
import dev.socketchat.server.Transport;

import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.abort;

/**
 * A registered server model, as the suite runs it: each test says how many clients it needs at
 * once, and the variant either finds options under which its model serves that many, or the test
 * is skipped with the reason.
 *
 * <p>A model declares its real limit through {@link ServerModel#concurrentClientLimit}. Where the
 * limit comes from a pool's size, the suite raises {@link ModelSetting#THREADS} to what the test needs,
 * so a pool is never excused from a test it can pass; only a limit that does not move (one thread
 * serves one client) skips a test.
 *
 * <p>A model that can choose its I/O transport ({@link ModelSetting#TRANSPORT}) runs the suite
 * twice: on its default ({@code auto}, the best the machine offers) and on {@code nio}, the JDK's
 * selector that runs everywhere, so that the fallback is held to the whole contract too.
 *
 * @param transport the transport the model is run on; {@code null} for the model's default
 */
record Variant(ServerModel model, Transport transport) {

    Variant(ServerModel model) {
        this(model, null);
    }

    /**
     * Every model registered on the class path, in lesson order, those broken on purpose included
     * (each held to {@link ExpectedFailures}); or, while one works on a lesson,
     * only those named in the system property {@code contract.variants} (comma-separated, as in
     * {@code -Dcontract.variants=nio-selector,multi-reactor}).
     */
    static List<Variant> all() {
        List<Variant> variants = ServerModels.registered().stream().flatMap(Variant::of).toList();
        if (variants.isEmpty()) {
            throw new IllegalStateException("no ServerModel is registered: is all-lessons on the test class path?");
        }
        String wanted = System.getProperty("contract.variants", "").strip();
        if (wanted.isEmpty()) {
            return variants;
        }
        Set<String> names = Set.of(wanted.split("\\s*,\\s*"));
        List<Variant> chosen = variants.stream().filter(variant -> names.contains(variant.model().name())).toList();
        if (chosen.stream().map(variant -> variant.model().name()).distinct().count() != names.size()) {
            throw new IllegalStateException("contract.variants names " + names + ", but the registered models are "
                    + ServerModels.all().stream().map(ServerModel::name).toList());
        }
        return chosen;
    }

    /** The model on its default transport, and on NIO too if it can choose one. */
    private static Stream<Variant> of(ServerModel model) {
        Variant onDefault = new Variant(model);
        return model.settings().contains(ModelSetting.TRANSPORT)
                ? Stream.of(onDefault, new Variant(model, Transport.NIO))
                : Stream.of(onDefault);
    }

    /** {@code netty}, or {@code netty --transport nio}: the model as the command line would run it. */
    String name() {
        return String.join(" ", Stream.concat(Stream.of(model.name()), cliOptions().stream()).toList());
    }

    /**
     * The options that {@code chat server --model <model>} needs, beyond the model's name, to run this
     * variant: {@code --transport nio}, or none on the model's default.
     */
    List<String> cliOptions() {
        return transport == null ? List.of() : List.of("--transport", transport.cliName());
    }

    /** {@code options} with this variant's transport, if it has one of its own. */
    private ServerOptions configured(ServerOptions options) {
        return transport == null ? options : options.with(ModelSetting.TRANSPORT, transport);
    }

    /** Whether this model is broken on purpose and must fail {@code behaviour} (see {@link ExpectedFailures}). */
    boolean isExpectedToFail(Behaviour behaviour) {
        return ExpectedFailures.of(model).contains(behaviour);
    }

    /** What the model is broken to show, in one line; empty for a model meant to work. */
    String hazard() {
        return model.brokenOnPurpose().orElse("");
    }

    /**
     * Options under which this model serves {@code clients} connections at once: {@code wanted}
     * itself, or {@code wanted} with the model's own setting raised (a larger pool). Aborts the
     * calling test (reported as skipped, with the reason) when the model cannot serve that many.
     */
    ServerOptions fit(ServerOptions options, int clients) {
        ServerOptions wanted = configured(options);
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
        ServerOptions options = model.optionsToServe(clients, configured(wanted));
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

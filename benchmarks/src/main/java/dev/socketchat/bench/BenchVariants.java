package dev.socketchat.bench;

import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerModels;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The variants the benchmarks compare: every registered lesson ({@link ServerModels#all()}), so a
 * new lesson joins by itself, plus a few configurations that exist only to be measured against
 * them.
 *
 * <p>A benchmark-only variant is a {@link ServerModel} whose {@code name()} differs from the
 * lesson's, for example lesson 04 with write coalescing switched off, to show what coalescing buys.
 * It joins by being added to {@link #EXTRAS}; the runner, the server process and the report then
 * treat it like any lesson.
 */
public final class BenchVariants {

    /** Benchmark-only configurations of registered lessons, measured next to them. */
    private static final List<ServerModel> EXTRAS = List.of(
            new OneWritePerFrameModel(), new FixedLoopsModel(1), new FixedLoopsModel(2), new SharedDuplicatesModel());

    private BenchVariants() {
    }

    /** Every variant, in lesson order; a benchmark-only variant follows the lesson it configures. */
    public static List<ServerModel> all() {
        List<ServerModel> all = new ArrayList<>(ServerModels.all());
        all.addAll(EXTRAS);
        all.sort(Comparator.comparingInt(ServerModel::lesson));
        return List.copyOf(all);
    }

    /** The lessons' own models, in lesson order: what a run compares unless asked for more. */
    public static List<ServerModel> lessons() {
        return ServerModels.all();
    }

    /** The benchmark-only configurations: experiments a lesson's README quotes, not models of their own. */
    public static List<ServerModel> experiments() {
        return EXTRAS;
    }

    /** The variant with this name. */
    public static Optional<ServerModel> named(String name) {
        return all().stream().filter(model -> model.name().equals(name)).findFirst();
    }

    /** The variant with this name, or an error that lists the names there are. */
    public static ServerModel require(String name) {
        return named(name).orElseThrow(() -> new IllegalArgumentException(
                "no variant named '" + name + "'; there are: " + names()));
    }

    /** {@code single-threaded, thread-per-client, ...}, for messages. */
    public static String names() {
        return names(all());
    }

    /** The names of {@code variants}, comma-separated, for messages. */
    public static String names(List<ServerModel> variants) {
        return variants.stream().map(ServerModel::name).collect(Collectors.joining(", "));
    }
}

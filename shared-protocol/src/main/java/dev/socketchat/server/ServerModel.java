package dev.socketchat.server;

import dev.socketchat.room.ServerConsole;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A concurrency model, as one lesson implements it: the service that the launcher, the contract
 * suite and the benchmarks discover with {@link java.util.ServiceLoader}. A lesson registers its
 * model in {@code META-INF/services/dev.socketchat.server.ServerModel}; nothing else needs to know
 * that the lesson exists. {@link ServerModels} finds them all.
 */
public interface ServerModel {

    /** The model's name on the command line: the lesson folder without its number, e.g. {@code thread-per-client}. */
    String name();

    /** One line on what the model is, for {@code ./chat models}. */
    String summary();

    /** The lesson's number; models are listed in lesson order. */
    int lesson();

    /**
     * A new, unstarted server of this model.
     *
     * @param console where the server reports connections, messages, start and stop
     * @throws IllegalArgumentException if the model cannot work with these options (a pool size it
     *                                  cannot use, say); the message is one line for the user, and
     *                                  the launcher prints it as a usage error
     */
    ChatServer create(ServerOptions options, ServerConsole console);

    /**
     * The {@link ModelSetting}s this model reads with {@link ServerOptions#get} ({@code --threads},
     * {@code --loops}, {@code --transport}), so that the command line can warn about one set for a
     * model that ignores it. Empty by default: most models have no knob of their own.
     */
    default Set<ModelSetting<?>> settings() {
        return Set.of();
    }

    /**
     * The most clients this model can serve at once with these options, where the model itself sets
     * a limit below {@link ServerOptions#maxClients()}: one for a single thread, half the pool size
     * for a pool whose clients hold two threads each. Empty when only {@code maxClients} limits it.
     */
    default OptionalInt concurrentClientLimit(ServerOptions options) {
        return OptionalInt.empty();
    }

    /**
     * {@code options}, changed where a setting of this model's own decides how many clients it can
     * serve at once, so that it serves {@code clients}: a pool grows to the threads they need. Models
     * without such a setting return {@code options} as they are. Tests and benchmarks call this to
     * measure every model at the same load without knowing any model's knobs; they still check
     * {@link #concurrentClientLimit} on the result, since some limits cannot be raised.
     */
    default ServerOptions optionsToServe(int clients, ServerOptions options) {
        return options;
    }

    /**
     * Why this model is broken on purpose, in one line, for a model that exists to show a hazard a
     * lesson fixes (a pool that queues the clients it cannot serve); empty for every model meant to
     * work. A broken model runs with {@code --model} like any other, after this warning, but
     * {@link ServerModels#all()} leaves it out, so it is neither listed by default nor benchmarked;
     * the contract suite runs it and expects it to fail the behaviours that show its hazard.
     */
    default Optional<String> brokenOnPurpose() {
        return Optional.empty();
    }
}

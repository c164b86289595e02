package dev.socketchat.threadpool;

import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ModelSetting;
import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerOptions;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Registers {@link NaivePoolServer}, broken on purpose, under the name {@code naive-pool}: lesson
 * 03's pool without its refusal. Its pool is sized and limited exactly as {@link ThreadPoolModel}'s,
 * so the contract suite finds the same limit and shows what each does with the client beyond it.
 */
public final class NaivePoolModel implements ServerModel {

    private final ThreadPoolModel sized = new ThreadPoolModel();

    @Override
    public String name() {
        return "naive-pool";
    }

    @Override
    public String summary() {
        return "lesson 03's pool without its refusal: a client beyond the pool waits in its queue, unanswered";
    }

    @Override
    public int lesson() {
        return 3;
    }

    @Override
    public Optional<String> brokenOnPurpose() {
        return Optional.of("a client the pool cannot serve connects and hears nothing, not even an error, "
                + "until another leaves; lesson 03 (thread-pool) refuses it at once");
    }

    /**
     * @throws IllegalArgumentException if {@link ModelSetting#THREADS} is odd or 1
     */
    @Override
    public ChatServer create(ServerOptions options, ServerConsole console) {
        return new NaivePoolServer(options, console);
    }

    @Override
    public Set<ModelSetting<?>> settings() {
        return sized.settings();
    }

    @Override
    public OptionalInt concurrentClientLimit(ServerOptions options) {
        return sized.concurrentClientLimit(options);
    }

    @Override
    public ServerOptions optionsToServe(int clients, ServerOptions options) {
        return sized.optionsToServe(clients, options);
    }
}

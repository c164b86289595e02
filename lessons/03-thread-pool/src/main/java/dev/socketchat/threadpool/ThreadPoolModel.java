package dev.socketchat.threadpool;

import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ModelSetting;
import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerOptions;

import java.util.OptionalInt;
import java.util.Set;

/** Registers lesson 03 under the name {@code thread-pool}. */
public final class ThreadPoolModel implements ServerModel {

    @Override
    public String name() {
        return "thread-pool";
    }

    @Override
    public String summary() {
        return "a fixed pool of platform threads, two per client for its whole session; "
                + "a client that finds them all busy is refused at once";
    }

    @Override
    public int lesson() {
        return 3;
    }

    /**
     * @throws IllegalArgumentException if {@link ModelSetting#THREADS} is odd or 1
     */
    @Override
    public ChatServer create(ServerOptions options, ServerConsole console) {
        return new ThreadPoolServer(options, console);
    }

    /** The pool's size, {@code --threads}. */
    @Override
    public Set<ModelSetting<?>> settings() {
        return Set.of(ModelSetting.THREADS);
    }

    /**
     * Half the pool: each client holds two of its threads. Zero for a pool size that {@link #create}
     * rejects (odd, or 1), and empty when {@code maxClients} is lower.
     */
    @Override
    public OptionalInt concurrentClientLimit(ServerOptions options) {
        int clients = ThreadPoolServer.clientsServed(ThreadPoolServer.poolSize(options));
        return clients < options.maxClients() ? OptionalInt.of(clients) : OptionalInt.empty();
    }

    /** A pool of two threads for each of {@code clients}. */
    @Override
    public ServerOptions optionsToServe(int clients, ServerOptions options) {
        return options.with(ModelSetting.THREADS, Math.max(1, clients) * ThreadPoolServer.THREADS_PER_CLIENT);
    }
}

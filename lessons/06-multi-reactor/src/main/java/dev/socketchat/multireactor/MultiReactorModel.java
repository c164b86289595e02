package dev.socketchat.multireactor;

import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ModelSetting;
import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerOptions;

import java.util.Set;

/** Registers lesson 06 under the name {@code multi-reactor}; reads {@code --loops}. */
public final class MultiReactorModel implements ServerModel {

    @Override
    public String name() {
        return "multi-reactor";
    }

    @Override
    public String summary() {
        return "several selector loops, one per core: an acceptor hands each client to one of them for life";
    }

    @Override
    public int lesson() {
        return 6;
    }

    @Override
    public Set<ModelSetting<?>> settings() {
        return Set.of(ModelSetting.LOOPS);
    }

    @Override
    public ChatServer create(ServerOptions options, ServerConsole console) {
        return new MultiReactorServer(options, console);
    }

    /**
     * The loops a server runs: {@code --loops}, or by default one per processor the JVM may use. A
     * loop never blocks but in {@code select()}, so a loop per core keeps every core busy, and more
     * loops than cores only take turns on them. {@code availableProcessors()} counts the cores this
     * process may run on (its CPU affinity, its container's CPU quota), not the machine's: a server
     * pinned to one core, as the benchmarks pin it, runs one loop.
     */
    static int loopsFor(ServerOptions options) {
        int loops = options.get(ModelSetting.LOOPS);
        return loops > 0 ? loops : Runtime.getRuntime().availableProcessors();
    }
}

package dev.socketchat.bench;

import dev.socketchat.multireactor.MultiReactorServer;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ModelSetting;
import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerOptions;

/**
 * Lesson 06 with a fixed number of loops, whatever the machine: {@code multi-reactor-loops-1} is
 * lesson 04's one loop plus the acceptor's hand-off, {@code multi-reactor-loops-2} two loops sharing
 * the room. Measured next to {@code nio-selector} and {@code multi-reactor} (one loop per core), they
 * show what the hand-off costs and what a second loop buys. Not a lesson and not registered.
 */
final class FixedLoopsModel implements ServerModel {

    private final int loops;

    FixedLoopsModel(int loops) {
        this.loops = loops;
    }

    @Override
    public String name() {
        return "multi-reactor-loops-" + loops;
    }

    @Override
    public String summary() {
        return "lesson 06 with " + loops + (loops == 1 ? " loop" : " loops") + " whatever the cores, to compare with lesson 04";
    }

    @Override
    public int lesson() {
        return 6;
    }

    @Override
    public ChatServer create(ServerOptions options, ServerConsole console) {
        return new MultiReactorServer(options.with(ModelSetting.LOOPS, loops), console);
    }
}

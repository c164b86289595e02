package dev.socketchat.singlethreaded;

import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerOptions;

import java.util.OptionalInt;

/** Registers lesson 01 under the name {@code single-threaded}. */
public final class SingleThreadedModel implements ServerModel {

    @Override
    public String name() {
        return "single-threaded";
    }

    @Override
    public String summary() {
        return "one thread, blocking I/O, one client at a time: the second client waits (why threads)";
    }

    @Override
    public int lesson() {
        return 1;
    }

    @Override
    public ChatServer create(ServerOptions options, ServerConsole console) {
        return new SingleThreadedServer(options, console);
    }

    /** One: while the thread serves a client, nobody else is served. */
    @Override
    public OptionalInt concurrentClientLimit(ServerOptions options) {
        return OptionalInt.of(1);
    }
}

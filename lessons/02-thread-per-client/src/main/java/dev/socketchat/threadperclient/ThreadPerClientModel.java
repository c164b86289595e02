package dev.socketchat.threadperclient;

import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerOptions;

/** Registers lesson 02 under the name {@code thread-per-client}. */
public final class ThreadPerClientModel implements ServerModel {

    @Override
    public String name() {
        return "thread-per-client";
    }

    @Override
    public String summary() {
        return "a reader and a writer platform thread per client, blocking I/O (the original, done right)";
    }

    @Override
    public int lesson() {
        return 2;
    }

    @Override
    public ChatServer create(ServerOptions options, ServerConsole console) {
        return new ThreadPerClientServer(options, console);
    }
}

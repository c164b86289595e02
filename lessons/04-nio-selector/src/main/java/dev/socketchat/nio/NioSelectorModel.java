package dev.socketchat.nio;

import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerOptions;

/** Registers lesson 04 under the name {@code nio-selector}. */
public final class NioSelectorModel implements ServerModel {

    @Override
    public String name() {
        return "nio-selector";
    }

    @Override
    public String summary() {
        return "one thread serves every client: non-blocking channels and a selector";
    }

    @Override
    public int lesson() {
        return 4;
    }

    @Override
    public ChatServer create(ServerOptions options, ServerConsole console) {
        return new NioSelectorServer(options, console);
    }
}

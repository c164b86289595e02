package dev.socketchat.netty;

import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ModelSetting;
import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerOptions;

import java.util.Set;

/** Registers lesson 08 under the name {@code netty}; it reads {@code --transport} and {@code --loops}. */
public final class NettyModel implements ServerModel {

    @Override
    public String name() {
        return "netty";
    }

    @Override
    public String summary() {
        return "the framework production Java uses: Netty's event loops, pipeline and native transports";
    }

    @Override
    public int lesson() {
        return 8;
    }

    @Override
    public Set<ModelSetting<?>> settings() {
        return Set.of(ModelSetting.TRANSPORT, ModelSetting.LOOPS);
    }

    @Override
    public ChatServer create(ServerOptions options, ServerConsole console) {
        return new NettyServer(options, console);
    }
}

package dev.socketchat.asyncchannels;

import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ModelSetting;
import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerOptions;

import java.util.Set;

/** Registers lesson 07 under the name {@code async-channels}. */
public final class AsyncChannelsModel implements ServerModel {

    @Override
    public String name() {
        return "async-channels";
    }

    @Override
    public String summary() {
        return "completion handlers on NIO.2 asynchronous channels (the proactor model), on a fixed pool of threads";
    }

    @Override
    public int lesson() {
        return 7;
    }

    @Override
    public ChatServer create(ServerOptions options, ServerConsole console) {
        return new AsyncChannelsServer(options, console);
    }

    /** The channel group's pool size, {@code --threads}; it does not limit how many clients are served. */
    @Override
    public Set<ModelSetting<?>> settings() {
        return Set.of(ModelSetting.THREADS);
    }
}

package dev.socketchat.cluster;

import dev.socketchat.room.RoomLog;
import dev.socketchat.room.RoomLogProvider;
import dev.socketchat.server.ServerOptions;

import java.net.URI;

/** Serves {@code --cluster redis://...}: a room carried by a Redis stream (lesson 09). */
public final class RedisRoomLogProvider implements RoomLogProvider {

    @Override
    public String scheme() {
        return "redis";
    }

    @Override
    public RoomLog open(URI broker, ServerOptions options) {
        return new RedisRoomLog(RedisAddress.parse(broker));
    }
}

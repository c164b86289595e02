package dev.socketchat.bench;

import dev.socketchat.load.ClientDriver;

import java.io.IOException;
import java.net.InetSocketAddress;

/** Clients that connect, get their welcome, and then only stay: the capacity workload. */
final class IdleDriver extends ClientDriver {

    IdleDriver(InetSocketAddress server, int clients) throws IOException {
        super(server, clients);
    }

    @Override
    protected void frame(Client client, byte[] bytes, int offset, int length, long receivedAt) {
        // An idle client in a room without notices receives nothing it needs to act on.
    }
}

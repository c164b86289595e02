package dev.socketchat.contract;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * The clients a check has connected, joined one at a time so that every stream starts clean: when
 * join notices are on, each earlier client has received "{@code * <name> joined}" for every later
 * one before the check begins. Closing the room closes every client.
 */
final class Room implements AutoCloseable {

    private final ServerUnderTest server;
    private final List<TestClient> clients = new ArrayList<>();

    Room(ServerUnderTest server) {
        this.server = server;
    }

    /** Joins {@code count} clients. */
    List<TestClient> join(int count) throws IOException {
        List<TestClient> joined = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            joined.add(join());
        }
        return joined;
    }

    TestClient join() throws IOException {
        return join(new Socket());
    }

    /** Joins through a socket the caller has configured. */
    TestClient join(Socket unconnected) throws IOException {
        TestClient client = TestClient.join(server, unconnected);
        clients.add(client);
        if (server.options().notices()) {
            for (TestClient earlier : clients.subList(0, clients.size() - 1)) {
                earlier.expect("* " + client.name() + " joined");
            }
        }
        return client;
    }

    /** Stops counting {@code client} as present: it has left, so later joins are not announced to it. */
    void forget(TestClient client) {
        clients.remove(client);
        try {
            client.close();
        } catch (IOException e) {
            // It has left already; there is nothing left to release.
        }
    }

    /** Checks that each of {@code clients} receives {@code frame} next. */
    static void eachExpects(String frame, TestClient... clients) throws IOException {
        for (TestClient client : clients) {
            client.expect(frame);
        }
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (TestClient client : clients) {
            try {
                client.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}

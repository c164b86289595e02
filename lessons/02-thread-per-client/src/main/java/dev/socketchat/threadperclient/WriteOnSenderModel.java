package dev.socketchat.threadperclient;

import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerOptions;

import java.util.Optional;

/**
 * Registers {@link WriteOnSenderServer}, broken on purpose, under the name {@code write-on-sender}:
 * the original Python project's design, which lesson 02 exists to fix.
 */
public final class WriteOnSenderModel implements ServerModel {

    @Override
    public String name() {
        return "write-on-sender";
    }

    @Override
    public String summary() {
        return "the original design: the sender's thread writes to every other client's socket";
    }

    @Override
    public int lesson() {
        return 2;
    }

    @Override
    public Optional<String> brokenOnPurpose() {
        return Optional.of("one client that stops reading stalls the whole room, and is never dropped; "
                + "lesson 02 (thread-per-client) gives each client an outbox and a writer of its own");
    }

    @Override
    public ChatServer create(ServerOptions options, ServerConsole console) {
        return new WriteOnSenderServer(options, console);
    }
}

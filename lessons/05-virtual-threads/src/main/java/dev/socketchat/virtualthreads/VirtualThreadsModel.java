package dev.socketchat.virtualthreads;

import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerOptions;
import dev.socketchat.threadperclient.ThreadPerClientServer;

/**
 * Registers lesson 05 under the name {@code virtual-threads}: lesson 02's
 * {@link ThreadPerClientServer}, unchanged, with a virtual thread wherever lesson 02 starts a
 * platform thread. The acceptor and every client's reader and writer become virtual threads; they
 * block in the same calls, but a blocked virtual thread gives its carrier back to the scheduler
 * instead of holding a kernel thread, so the same code holds thousands of clients.
 */
public final class VirtualThreadsModel implements ServerModel {

    @Override
    public String name() {
        return "virtual-threads";
    }

    @Override
    public String summary() {
        return "lesson 02's code on virtual threads: a reader and a writer per client, blocking I/O, thousands of clients";
    }

    @Override
    public int lesson() {
        return 5;
    }

    @Override
    public ChatServer create(ServerOptions options, ServerConsole console) {
        return new ThreadPerClientServer(options, console, Thread.ofVirtual());
    }
}

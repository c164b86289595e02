package dev.socketchat.contract;

import dev.socketchat.server.ServerOptions;

import java.net.InetSocketAddress;
import java.util.Set;

/**
 * Where the server under test is, seen from a client: an address to connect to and the options it
 * runs with. The contract's behaviours talk only to this, so the same checks run against a server
 * in this JVM and against the packaged server in a container.
 */
interface ServerUnderTest {

    /** Where clients connect. */
    InetSocketAddress address();

    /** The limits the server was started with, so that a check can probe them. */
    ServerOptions options();

    /**
     * Shuts the server down gracefully (docs/protocol.md §8) and returns once it has stopped. Idempotent.
     */
    void stop();

    /**
     * Stops the server as {@link #stop()} does, and names the threads it had started that were still
     * alive the moment {@code stop()} returned: none, for a server that keeps its promise. Empty too
     * where this JVM cannot see the server's threads (a server in another process).
     */
    default Set<String> stopAndNameThreadsLeft() {
        stop();
        return Set.of();
    }
}

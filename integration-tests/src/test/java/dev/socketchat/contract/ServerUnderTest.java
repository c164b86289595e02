package dev.socketchat.contract;

import dev.socketchat.server.ServerOptions;

import java.net.InetSocketAddress;

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
     * Shuts the server down gracefully (PROTOCOL.md §7) and returns once it has stopped. Idempotent.
     */
    void stop();
}

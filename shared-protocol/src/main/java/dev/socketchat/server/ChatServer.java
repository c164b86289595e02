package dev.socketchat.server;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A running chat server of one concurrency model. Every lesson's server has the same life cycle,
 * so the launcher, the contract suite and the benchmarks can drive any of them:
 *
 * <pre>
 * ChatServer server = model.create(options, console);
 * server.start();                 // returns once the server accepts connections
 * server.address().getPort();     // the real port, also when options asked for port 0
 * ...
 * server.stop();                  // docs/protocol.md §8; returns when no thread of the server is left
 * </pre>
 */
public interface ChatServer extends AutoCloseable {

    /**
     * Binds the listening socket and starts serving. Returns once connections are accepted.
     *
     * @throws IOException if the address cannot be bound, for example because the port is in use
     */
    void start() throws IOException;

    /** The address the server listens on, with the actual port. Only valid after {@link #start()}. */
    InetSocketAddress address();

    /**
     * Shuts down gracefully: stops accepting, sends {@code * server shutting down} to every client,
     * lets queued frames be written for up to the grace period, closes every connection and joins
     * every thread the server started. Idempotent; returns at once if the server never started.
     */
    void stop();

    /** Same as {@link #stop()}, so that a server works in try-with-resources. */
    @Override
    default void close() {
        stop();
    }
}

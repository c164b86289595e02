package dev.socketchat.contract;

import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerOptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One room served by two servers of the same model in this JVM, joined through a broker
 * ({@code --cluster}, docs/protocol.md §10). Each {@link #address()} names the other server than the
 * one before, so a check's clients alternate between the two: the first and the second client of
 * every check are on different servers, and every frame between them crossed the broker.
 *
 * <p>Closing it stops both servers and then holds them to the rule that no thread outlives its
 * server, as {@link InProcessServer} does for one.
 */
final class TwoServersOneRoom implements ServerUnderTest, AutoCloseable {

    private final InProcessServer first;
    private final InProcessServer second;
    private final AtomicInteger connections = new AtomicInteger();

    private TwoServersOneRoom(InProcessServer first, InProcessServer second) {
        this.first = first;
        this.second = second;
    }

    /** Starts two servers of {@code model} on free ports, both with {@code options}, whose cluster names the room. */
    static TwoServersOneRoom start(ServerModel model, ServerOptions options) throws IOException {
        if (!options.clustered()) {
            throw new IllegalArgumentException("two servers share a room only through a broker: set the cluster");
        }
        InProcessServer first = InProcessServer.start(model, options);
        try {
            return new TwoServersOneRoom(first, InProcessServer.start(model, options));
        } catch (IOException | RuntimeException e) {
            first.close();
            throw e;
        }
    }

    /** The two servers in turn. */
    @Override
    public InetSocketAddress address() {
        return connections.getAndIncrement() % 2 == 0 ? first.address() : second.address();
    }

    @Override
    public ServerOptions options() {
        return first.options();
    }

    @Override
    public void stop() {
        second.stop();
        first.stop();
    }

    @Override
    public Set<String> stopAndNameThreadsLeft() {
        Set<String> left = new TreeSet<>(second.stopAndNameThreadsLeft());
        left.addAll(first.stopAndNameThreadsLeft());
        return left;
    }

    /**
     * The second server stops first: the first one's check counts every thread started since it
     * started, the second server's included.
     */
    @Override
    public void close() {
        second.stop();
        try {
            first.close();
        } finally {
            second.close();
        }
    }
}

package dev.socketchat.contract;

import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerOptions;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;

/**
 * A variant's server running in this JVM on a free loopback port, for one test.
 *
 * <p>Closing it stops the server and then checks the rule that no thread outlives its server
 * (docs/architecture.md): every thread that appeared since the server was started must be gone once
 * {@link ChatServer#stop()} has returned. The check runs after every test, so a leak shows up in
 * whichever behaviour caused it.
 */
final class InProcessServer implements ServerUnderTest, AutoCloseable {

    /**
     * Threads that end on their own shortly after their work (for example Awaitility's poller) get
     * this long; so does a {@linkplain LiveThreads#retiresOnItsOwn library's JVM-wide thread}, checked
     * once at the end of the suite ({@link #awaitRetirees()}).
     */
    private static final Duration THREADS_SETTLE = Duration.ofSeconds(10);

    private final String variant;
    private final ServerOptions options;
    private final ChatServer server;
    private final Map<Long, String> threadsBefore;

    private InProcessServer(ServerModel model, ServerOptions options, ServerConsole console) {
        this.variant = model.name();
        this.options = options;
        this.threadsBefore = LiveThreads.now();
        this.server = model.create(options, console);
    }

    /** Starts the model's server with these options; returns once it listens. */
    static InProcessServer start(ServerModel model, ServerOptions options) throws IOException {
        return start(model, options, ServerConsole.silent());
    }

    /** The same, printing its console to {@code console}, for a check of what the operator sees. */
    static InProcessServer start(ServerModel model, ServerOptions options, ServerConsole console) throws IOException {
        InProcessServer started = new InProcessServer(model, options, console);
        started.server.start();
        return started;
    }

    @Override
    public InetSocketAddress address() {
        return server.address();
    }

    @Override
    public ServerOptions options() {
        return options;
    }

    @Override
    public void stop() {
        server.stop();
    }

    /**
     * Looks twice, because the two ways to look differ in speed: platform threads are captured as
     * objects before {@code stop()} and asked {@link Thread#isAlive()} the instant it returns, which
     * catches a thread in its last microseconds; the thread dump taken next also sees virtual threads.
     * A thread that {@linkplain LiveThreads#retiresOnItsOwn retires on its own} is not named here;
     * {@link #close()} still requires it gone within {@link #THREADS_SETTLE}.
     */
    @Override
    public Set<String> stopAndNameThreadsLeft() {
        List<Thread> platform = LiveThreads.platform().stream()
                .filter(thread -> !threadsBefore.containsKey(thread.threadId()) && thread != Thread.currentThread())
                .toList();
        server.stop();
        Set<String> left = new TreeSet<>();
        platform.stream().filter(Thread::isAlive).map(Thread::getName).forEach(left::add);
        threadsLeft().forEach((id, name) -> {
            if (id != Thread.currentThread().threadId()) {
                left.add(name);
            }
        });
        left.removeIf(LiveThreads::retiresOnItsOwn);
        return left;
    }

    /**
     * Stops the server and fails if any thread it started is still alive. A thread that {@linkplain
     * LiveThreads#retiresOnItsOwn retires on its own} is the JVM's, not the server's: waiting here for
     * Netty's global executor to retire cost every Netty test a second; {@link #awaitRetirees()}
     * checks once, at the end, that it did.
     */
    @Override
    public void close() {
        server.stop();
        awaitNone(() -> threadsLeft().values(), variant + " left threads running", "after stop() returned");
    }

    /** Fails unless every thread that retires on its own has done so within {@link #THREADS_SETTLE}. */
    static void awaitRetirees() {
        awaitNone(InProcessServer::retirees, "threads that should retire on their own still ran",
                "after the last server stopped");
    }

    /** Waits up to {@link #THREADS_SETTLE} for {@code threads} to be none; fails naming them otherwise. */
    private static void awaitNone(Supplier<Collection<String>> threads, String what, String since) {
        try {
            await().atMost(THREADS_SETTLE)
                    .pollInSameThread()
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> threads.get().isEmpty());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + " " + THREADS_SETTLE.toSeconds() + " s " + since + ": " + threads.get());
        }
    }

    private static List<String> retirees() {
        return LiveThreads.now().values().stream().filter(LiveThreads::retiresOnItsOwn).toList();
    }

    private Map<Long, String> threadsLeft() {
        Map<Long, String> left = LiveThreads.startedSince(threadsBefore, LiveThreads.now());
        left.values().removeIf(LiveThreads::retiresOnItsOwn);
        return left;
    }
}

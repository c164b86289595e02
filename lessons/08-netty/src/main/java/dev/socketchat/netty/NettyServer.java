package dev.socketchat.netty;

import dev.socketchat.room.ChatRoom;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ModelSetting;
import dev.socketchat.server.ServerOptions;
import dev.socketchat.server.Sockets;
import dev.socketchat.server.Threads;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Lesson 08: the server of lessons 04 and 06 on Netty. One event loop accepts; a group of event
 * loops, one thread each, serves the connections, every connection on one loop for its whole life.
 * What happens to a connection's bytes is its pipeline ({@link ChatChannelInitializer}); what the
 * room does with them is the shared {@link ChatRoom}, as in every lesson.
 *
 * <pre>
 *   netty-accept ──accept──► AcceptHandler ─► picks a loop for the new channel (round robin)
 *   netty-loop-1 ──wait on epoll/io_uring/selector──► read ─► pipeline ─► room ─► ChannelOutbox
 *   netty-loop-2 ──  "                              ──► write tasks handed over from other loops
 * </pre>
 *
 * <p>This class owns the life cycle: it picks the transport, starts the groups and binds in
 * {@link #start()}, and in {@link #stop()} shuts down as docs/protocol.md §8 says and ends every
 * thread of both groups with {@code shutdownGracefully}, joining each one.
 *
 * <p>It is open to subclasses only for {@link #newBurst()}, the one decision the benchmarks vary, and
 * for {@link #stop()}, after which such a subclass releases what its bursts shared.
 *
 * <p>One thread it cannot join: Netty's {@code GlobalEventExecutor}, a single thread for the whole
 * JVM, which a group uses to complete its termination future. Netty starts it on demand and it ends
 * itself after a second without tasks, so it may outlive {@code stop()} by that second.
 */
public class NettyServer implements ChatServer {

    private static final int ACCEPT_BACKLOG = 1024;

    private final ServerOptions options;
    private final ServerConsole console;
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    // Every thread of both groups, for stop() to join.
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    private NettyTransport transport;
    private EventLoopGroup acceptGroup;
    private EventLoopGroup loopGroup;
    private ChatRoom room;
    private Channel listener;
    private volatile InetSocketAddress address;
    private boolean stopped;

    public NettyServer(ServerOptions options, ServerConsole console) {
        this.options = options;
        this.console = console;
    }

    /**
     * Makes one of the two bursts each member's outbox trades: what it queues for its next drain and
     * how the drain hands that to Netty ({@link Burst}). The lesson copies each burst into one pooled
     * direct buffer ({@link CopiedBurst}, which says why not a shared buffer per frame). A subclass
     * may hand frames over another way to measure it against the copy, as the benchmarks'
     * {@code netty-shared-duplicates} does; whatever its bursts hold beyond themselves it releases
     * in {@link #stop()}, after {@code super.stop()}.
     *
     * <p>Called from {@link #start()} on, twice per connection, on the connection's event loop: by
     * several loops at once.
     */
    protected Burst newBurst() {
        return new CopiedBurst();
    }

    @Override
    public final synchronized void start() throws IOException {
        if (listener != null) {
            throw new IllegalStateException("already started");
        }
        transport = NettyTransport.resolve(options.get(ModelSetting.TRANSPORT));
        int loops = options.get(ModelSetting.LOOPS);
        loops = loops > 0 ? loops : Runtime.getRuntime().availableProcessors();
        acceptGroup = new MultiThreadIoEventLoopGroup(1, recorded("netty-accept"), transport.ioHandlers());
        loopGroup = new MultiThreadIoEventLoopGroup(loops, recorded("netty-loop"), transport.ioHandlers());
        room = new ChatRoom(options, console);
        // The outbound limit, as the channel's high water mark: ChannelOutbox reads it back from there.
        int highWaterMark = (int) Math.min(options.outboundLimit(), Integer.MAX_VALUE);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptGroup, loopGroup)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                .option(ChannelOption.SO_REUSEADDR, true);
        // The listening channel's pipeline and reads: accept failures and the connection budget.
        AcceptHandler.installOn(bootstrap, console, options.connectionBudget())
                // Writes are coalesced per burst already; Nagle's algorithm would only delay them.
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(highWaterMark / 2, highWaterMark))
                .childHandler(new ChatChannelInitializer(room, options, console, connections, this::newBurst));
        try {
            listener = bootstrap.bind(options.host(), options.port()).sync().channel();
        } catch (Exception e) {
            // sync() rethrows the bind's own failure, such as "address already in use".
            shutDownGroups();
            listener = null;
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("cannot bind " + options.host() + ":" + options.port() + ": " + e, e);
        }
        address = (InetSocketAddress) listener.localAddress();
        console.status("listening on " + Sockets.describe(address) + " (" + transport.cliName() + " transport, "
                + loops + (loops == 1 ? " event loop)" : " event loops)"));
    }

    @Override
    public final InetSocketAddress address() {
        return address;
    }

    @Override
    public synchronized void stop() {
        if (listener == null || stopped) {
            return;
        }
        stopped = true;
        long deadline = System.nanoTime() + options.grace().toNanos();
        listener.close().awaitUninterruptibly();
        // Every member gets the notice and a closing outbox; each connection writes out what it is
        // owed, then lingers, on its own loop, and closes itself by the grace period at the latest.
        room.shutdown();
        for (Channel connection : List.copyOf(connections)) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !connection.closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                connection.close();
            }
        }
        shutDownGroups();
        console.status("stopped");
    }

    /**
     * Ends both groups' threads: nothing is left to do on them, so no quiet period is needed. A
     * group's termination future completes as its loops finish their last task, a moment before
     * their threads have ended, so the threads themselves are joined too.
     */
    private void shutDownGroups() {
        acceptGroup.shutdownGracefully(0, options.grace().toMillis(), TimeUnit.MILLISECONDS);
        loopGroup.shutdownGracefully(0, options.grace().toMillis(), TimeUnit.MILLISECONDS);
        acceptGroup.terminationFuture().awaitUninterruptibly();
        loopGroup.terminationFuture().awaitUninterruptibly();
        threads.forEach(Threads::joinUninterruptibly);
    }

    /** Netty's named threads for one group, each kept for {@link #shutDownGroups()} to join. */
    private ThreadFactory recorded(String poolName) {
        ThreadFactory named = new DefaultThreadFactory(poolName);
        return task -> {
            Thread thread = named.newThread(task);
            threads.add(thread);
            return thread;
        };
    }

    /** The transport in use, for tests: never {@code AUTO} once started. */
    NettyTransport transport() {
        return transport;
    }
}

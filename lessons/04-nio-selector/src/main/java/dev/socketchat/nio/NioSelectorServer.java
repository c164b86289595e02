package dev.socketchat.nio;

import dev.socketchat.room.ChatRoom;
import dev.socketchat.room.PendingWrites;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerOptions;
import dev.socketchat.server.Sockets;
import dev.socketchat.server.Threads;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;

/**
 * Lesson 04: one thread serves every client. All channels are non-blocking and registered with one
 * {@link Selector}; the {@link SelectorLoop} blocks in {@code select()} until some of them can make
 * progress, does that work without ever waiting on a single client, and goes back to {@code select()}.
 *
 * <pre>
 *   selector-loop ──select()──► accept ─► ChannelConnection (joins the room)
 *                               read   ─► FrameDecoder ─► room ─► outboxes
 *                               write  ◄─ outboxes, one gathering write per client and turn
 * </pre>
 *
 * <p>This class only owns the life cycle: it binds the listening channel, starts the loop's thread
 * and, in {@link #stop()}, shuts the room down, asks the loop to drain and end, and joins it. It is
 * open to subclasses only for {@link #framesPerWrite()}, the one decision the benchmarks vary; its
 * life cycle is final.
 */
public class NioSelectorServer implements ChatServer {

    private static final int ACCEPT_BACKLOG = 1024;

    private final ServerOptions options;
    private final ServerConsole console;

    private ChatRoom room;
    private SelectorLoop loop;
    private Thread loopThread;
    private volatile InetSocketAddress address;
    private boolean stopped;

    public NioSelectorServer(ServerOptions options, ServerConsole console) {
        this.options = options;
        this.console = console;
    }

    /**
     * The most frames one write call takes: {@link PendingWrites#MAX_GATHER}, Linux's {@code IOV_MAX}.
     * The lesson gathers everything queued for a client into one write because a system call costs
     * far more than the few dozen bytes of a chat frame: twenty pongs produced by one read leave in
     * one call, not twenty. A subclass may gather fewer (1 to {@code MAX_GATHER}) to measure what
     * gathering saves, as the benchmarks' {@code nio-selector-one-write-per-frame} does with 1.
     *
     * <p>Called once, by {@link #start()}, which refuses a value out of range.
     */
    protected int framesPerWrite() {
        return PendingWrites.MAX_GATHER;
    }

    @Override
    public final synchronized void start() throws IOException {
        if (loop != null) {
            throw new IllegalStateException("already started");
        }
        int framesPerWrite = PendingWrites.checkFramesPerWrite(framesPerWrite());
        ServerSocketChannel listener = ServerSocketChannel.open();
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(new InetSocketAddress(options.host(), options.port()), ACCEPT_BACKLOG);
            listener.configureBlocking(false);
            room = new ChatRoom(options, console);
            loop = new SelectorLoop(listener, room, options, console, framesPerWrite);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
        address = (InetSocketAddress) listener.getLocalAddress();
        loopThread = Thread.ofPlatform().name("selector-loop").start(loop);
        console.status("listening on " + Sockets.describe(address));
    }

    @Override
    public final InetSocketAddress address() {
        return address;
    }

    /**
     * Shuts the room down here, which gives every member its notice and every outbox its close (the
     * callbacks cross to the loop through its inbox), then lets the loop drain its clients for the
     * grace period, counted from now, and joins it (docs/protocol.md §8).
     */
    @Override
    public final synchronized void stop() {
        if (loop == null || stopped) {
            return;
        }
        stopped = true;
        long graceEndsAt = System.nanoTime() + options.grace().toNanos();
        room.shutdown();
        loop.requestStop(graceEndsAt);
        Threads.joinUninterruptibly(loopThread);
        console.status("stopped");
    }
}

package dev.socketchat.nio;

import dev.socketchat.room.ChatRoom;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerOptions;
import dev.socketchat.server.Sockets;

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
 * and, in {@link #stop()}, asks the loop to shut down and joins it.
 */
public final class NioSelectorServer implements ChatServer {

    private static final int ACCEPT_BACKLOG = 1024;

    private final ServerOptions options;
    private final ServerConsole console;
    private final WriteInstrumentation instrumentation;

    private SelectorLoop loop;
    private Thread loopThread;
    private volatile InetSocketAddress address;
    private boolean stopped;

    public NioSelectorServer(ServerOptions options, ServerConsole console) {
        this(options, console, WriteStrategy.COALESCED);
    }

    /**
     * @param writes how queued frames reach the socket; anything but {@link WriteStrategy#COALESCED}
     *               exists only to measure the difference
     */
    public NioSelectorServer(ServerOptions options, ServerConsole console, WriteStrategy writes) {
        this.options = options;
        this.console = console;
        this.instrumentation = new WriteInstrumentation(writes);
    }

    @Override
    public synchronized void start() throws IOException {
        if (loop != null) {
            throw new IllegalStateException("already started");
        }
        ServerSocketChannel listener = ServerSocketChannel.open();
        Selector selector = null;
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(new InetSocketAddress(options.host(), options.port()), ACCEPT_BACKLOG);
            listener.configureBlocking(false);
            selector = Selector.open();
            loop = new SelectorLoop(selector, listener, new ChatRoom(options, console), options, console,
                    instrumentation);
        } catch (IOException | RuntimeException e) {
            Sockets.closeQuietly(selector);
            listener.close();
            throw e;
        }
        address = (InetSocketAddress) listener.getLocalAddress();
        loopThread = Thread.ofPlatform().name("selector-loop").start(loop);
        console.status("listening on " + Sockets.describe(address));
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public synchronized void stop() {
        if (loop == null || stopped) {
            return;
        }
        stopped = true;
        // The loop does the whole shutdown on its own thread; this thread only asks and waits.
        loop.requestStop();
        boolean interrupted = false;
        while (loopThread.isAlive()) {
            try {
                loopThread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        console.status("stopped");
    }

    /** How many {@code write} calls the loop has made so far: lets tests see what coalescing saves. */
    long writeCalls() {
        return instrumentation.writeCalls();
    }
}

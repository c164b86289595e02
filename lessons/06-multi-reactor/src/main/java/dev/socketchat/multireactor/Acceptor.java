package dev.socketchat.multireactor;

import dev.socketchat.nio.SelectorLoop;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.AcceptFailures;
import dev.socketchat.server.Sockets;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * The acceptor: a thread of its own that blocks in {@code accept()} and hands each new channel to
 * the next event loop (lesson 04's {@link SelectorLoop}), round-robin. The channel stays on that
 * loop for its whole life.
 *
 * <p>Why a thread of its own rather than the first loop: a burst of connections (a thousand clients
 * arriving at once) is then accepted while every loop goes on serving its clients; on a loop that
 * also accepts, that loop's clients would wait behind the burst, and its share of the work would
 * no longer be a fair one. The thread costs little: it sleeps in {@code accept()} while nobody
 * connects. Nothing it does needs a selector, so it uses a blocking channel, which
 * {@link MultiReactorServer#stop()} wakes by closing it; the loop that adopts a channel makes it
 * non-blocking.
 *
 * <p>The connection budget (docs/protocol.md §7) now spans several loops, so it is one semaphore:
 * the acceptor takes a permit for each connection, the loop that closes it gives the permit back.
 */
final class Acceptor implements Runnable {

    private final ServerSocketChannel listener;
    private final List<SelectorLoop> loops;
    private final Semaphore connectionBudget;
    private final AcceptFailures acceptFailures;
    private int next;

    Acceptor(ServerSocketChannel listener, List<SelectorLoop> loops, Semaphore connectionBudget,
             ServerConsole console) {
        this.listener = listener;
        this.loops = loops;
        this.connectionBudget = connectionBudget;
        this.acceptFailures = new AcceptFailures(console);
    }

    @Override
    public void run() {
        while (listener.isOpen()) {
            SocketChannel channel;
            try {
                // Blocks until a client connects, or until stop() closes the listener.
                channel = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // Most likely out of descriptors: wait a little instead of failing again at once.
                acceptFailures.backOff(e);
                continue;
            }
            acceptFailures.succeeded();
            if (connectionBudget.tryAcquire()) {
                loops.get(next).adopt(channel);
                next = (next + 1) % loops.size();
            } else {
                // Members, leavers and refusals already hold all the server allows: not even a refusal.
                Sockets.closeQuietly(channel);
            }
        }
    }
}

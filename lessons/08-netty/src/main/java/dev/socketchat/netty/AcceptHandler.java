package dev.socketchat.netty;

import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.AcceptFailures;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ServerChannelRecvByteBufAllocator;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one handler of the listening channel's own pipeline, where each accepted connection arrives
 * as a message (a new, not yet registered {@link Channel}) and each failed {@code accept} as an
 * exception. It sits before the {@code ServerBootstrap}'s acceptor, which hands new channels to
 * the loops, and does two things the protocol asks (docs/protocol.md §7) and Netty does not:
 *
 * <ul>
 *   <li><b>Running out of descriptors is survivable.</b> A failed accept stops accepting for a
 *       back-off that doubles up to 250 ms ({@link AcceptFailures}), with one console line when the
 *       failures begin and one when an accept works again. Left to Netty, the failure would travel
 *       on to the acceptor, which pauses for a fixed second, and to the end of the pipeline, which
 *       logs a warning with a stack trace every time.</li>
 *   <li><b>What a server holds is bounded.</b> Once it holds {@code budget} connections (members,
 *       leavers and refused clients alike, twice max clients), one accepted beyond that is closed
 *       at once, before it is registered with a loop or hears a word.</li>
 * </ul>
 *
 * <p>The bound needs the listener to accept one connection per read, which {@link #installOn} sets
 * up with the handler. Left to its default, Netty's NIO transport accepts up to 16 connections from
 * the backlog before it passes the first one on, so a burst of connects would find the server
 * holding 15 descriptors beyond its budget before this handler sees any of them.
 *
 * <p>Every method runs on the accepting loop's one thread, so the count needs no lock to be checked
 * and raised; it is lowered by each connection's close, on that connection's loop, hence atomic.
 */
final class AcceptHandler extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(AcceptHandler.class.getName());

    private final AcceptFailures acceptFailures;
    private final int budget;
    private final AtomicInteger held = new AtomicInteger();

    /** @param budget the most connections held at once: {@code ServerOptions.connectionBudget()} */
    AcceptHandler(ServerConsole console, int budget) {
        this.acceptFailures = new AcceptFailures(console);
        this.budget = budget;
    }

    /**
     * Makes {@code bootstrap}'s listening channel keep the budget: a handler in its pipeline, and a
     * read that accepts a single connection, so that at most one is held beyond the budget, the one
     * being checked. Another connection waiting in the backlog is accepted on the loop's next turn.
     */
    static ServerBootstrap installOn(ServerBootstrap bootstrap, ServerConsole console, int budget) {
        return bootstrap
                .option(ChannelOption.RECVBUF_ALLOCATOR, new ServerChannelRecvByteBufAllocator().maxMessagesPerRead(1))
                .handler(new AcceptHandler(console, budget));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel accepted = (Channel) msg;
        acceptFailures.succeeded();
        if (held.get() >= budget) {
            // Not registered with any loop yet: closed here, as Netty's own acceptor closes a channel it cannot register.
            accepted.unsafe().closeForcibly();
            return;
        }
        held.incrementAndGet();
        accepted.closeFuture().addListener(closed -> held.decrementAndGet());
        ctx.fireChannelRead(accepted);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Typically "Too many open files". The connection stays in the kernel's queue and the
        // listener stays ready, so reading again at once would fail again at once: pause instead.
        Duration backOff = acceptFailures.failed(cause instanceof IOException io ? io : new IOException(cause));
        LOG.log(System.Logger.Level.DEBUG, "accept failed; accepting again in {0}", backOff);
        ctx.channel().config().setAutoRead(false);
        ctx.executor().schedule(() -> {
            ctx.channel().config().setAutoRead(true);
        }, backOff.toNanos(), TimeUnit.NANOSECONDS);
    }
}

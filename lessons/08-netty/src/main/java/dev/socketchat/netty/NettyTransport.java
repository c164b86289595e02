package dev.socketchat.netty;

import dev.socketchat.server.Transport;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * The transport the server runs on: what waits for sockets inside each event loop, and the channel
 * class that goes with it. Everything above it (the pipeline, the handlers, the room) is the same
 * code whichever is chosen; that is the point of Netty's transport abstraction.
 *
 * <ul>
 *   <li>{@link Transport#NIO}: the JDK's {@code Selector}, what lessons 04 and 06 use by hand.
 *       Runs everywhere.</li>
 *   <li>{@link Transport#EPOLL}: Linux's epoll through Netty's own JNI library, without the JDK's
 *       selector layer: fewer objects and copies per event, edge-triggered.</li>
 *   <li>{@link Transport#IO_URING}: Linux's completion-based interface (5.x kernels and later): the
 *       loop submits reads and writes and is told when they are done, like lesson 07's proactor.</li>
 * </ul>
 *
 * <p>{@link Transport#AUTO} takes epoll where it works, then io_uring, then NIO. Epoll comes first
 * because it is the native transport Netty's users have run in production for a decade, while
 * Netty's io_uring transport left its incubator only with 4.2, and io_uring itself is often turned
 * off where it would run (container seccomp profiles, {@code kernel.io_uring_disabled}).
 * {@code --transport io_uring} is there to compare.
 *
 * @param transport     the transport chosen, never {@code AUTO}
 * @param ioHandlers    creates the I/O handler inside each event loop
 * @param serverChannel the listening channel's class for this transport
 */
record NettyTransport(Transport transport, IoHandlerFactory ioHandlers, Class<? extends ServerChannel> serverChannel) {

    /**
     * The transport to run on.
     *
     * @throws IOException if a native transport was asked for by name and this machine cannot run
     *                     it; the message says why
     */
    static NettyTransport resolve(Transport wanted) throws IOException {
        return switch (wanted) {
            case NIO -> nio();
            case EPOLL -> require(wanted, Epoll.isAvailable(), Epoll::unavailabilityCause);
            case IO_URING -> require(wanted, IoUring.isAvailable(), IoUring::unavailabilityCause);
            case AUTO -> Epoll.isAvailable() ? epoll() : IoUring.isAvailable() ? ioUring() : nio();
        };
    }

    private static NettyTransport require(Transport wanted, boolean available, Supplier<Throwable> cause)
            throws IOException {
        if (!available) {
            Throwable why = cause.get();
            throw new IOException(wanted.cliName() + " is not available on this machine, --transport nio runs everywhere"
                    + (why == null ? "" : ": " + why.getMessage()), why);
        }
        return wanted == Transport.EPOLL ? epoll() : ioUring();
    }

    private static NettyTransport nio() {
        return new NettyTransport(Transport.NIO, NioIoHandler.newFactory(), NioServerSocketChannel.class);
    }

    private static NettyTransport epoll() {
        return new NettyTransport(Transport.EPOLL, EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
    }

    private static NettyTransport ioUring() {
        return new NettyTransport(Transport.IO_URING, IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class);
    }

    /** {@code epoll}, as the start line shows it. */
    String cliName() {
        return transport.cliName();
    }
}

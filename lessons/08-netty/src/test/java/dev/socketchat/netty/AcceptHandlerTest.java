package dev.socketchat.netty;

import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.Sockets;
import dev.socketchat.server.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The listening channel's handler, in memory: an {@link EmbeddedChannel} stands for the listener,
 * accepted connections are written to it as messages, failed accepts fired as exceptions, and the
 * test moves its clock; the budget against a burst of connects runs on a real transport. The real exhaustion of descriptors is run against the packaged server by
 * the contract suite's {@code ExhaustionIT}.
 */
class AcceptHandlerTest {

    private static final IOException EMFILE = new IOException("Too many open files");
    private static final Path OPEN_FILES = Path.of("/proc/self/fd");

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final ServerConsole console = new ServerConsole(new PrintStream(printed, true, StandardCharsets.UTF_8), true);

    @Test
    void failedAcceptsPauseAcceptingForADoublingBackOffAndAreReportedOncePerEpisode() {
        EmbeddedChannel listener = new EmbeddedChannel(new AcceptHandler(console, 100));

        listener.pipeline().fireExceptionCaught(EMFILE);
        assertThat(listener.config().isAutoRead()).as("accepting right after a failure").isFalse();
        listener.advanceTimeBy(5, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).as("accepting 5 ms after the first failure").isTrue();

        listener.pipeline().fireExceptionCaught(EMFILE);
        listener.advanceTimeBy(5, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).as("accepting 5 ms after the second failure").isFalse();
        listener.advanceTimeBy(5, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).as("accepting 10 ms after the second failure").isTrue();

        EmbeddedChannel accepted = new EmbeddedChannel();
        listener.writeInbound(accepted);

        assertThat((Channel) listener.readInbound()).as("the connection accepted after the failures").isSameAs(accepted);
        assertThat(lines()).containsExactly(
                "[error] accept failed: Too many open files; retrying every 250 ms at most",
                "[error] accepting again after 2 failed accepts");
        assertThat(listener.finish()).as("nothing else passed on: no failure reaches the end of the pipeline").isFalse();
    }

    @Test
    void connectionBeyondTheBudgetIsClosedAtOnceAndOneClosingMakesRoomForTheNext() {
        EmbeddedChannel listener = new EmbeddedChannel(new AcceptHandler(console, 2));
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();
        EmbeddedChannel beyond = new EmbeddedChannel();

        listener.writeInbound(first, second, beyond);

        assertThat(List.of(listener.<Channel>readInbound(), listener.<Channel>readInbound())).containsExactly(first, second);
        assertThat((Channel) listener.readInbound()).as("passed on beyond the budget").isNull();
        assertThat(beyond.isOpen()).as("the connection beyond the budget is open").isFalse();
        assertThat(first.isOpen()).isTrue();

        first.close();
        EmbeddedChannel next = new EmbeddedChannel();
        listener.writeInbound(next);

        assertThat((Channel) listener.readInbound()).as("the connection after one closed").isSameAs(next);
        assertThat(next.isOpen()).isTrue();
        assertThat(lines()).as("closing beyond the budget says nothing").isEmpty();
    }

    /**
     * The budget on a real transport: a burst of connects waits in the backlog while the accepting
     * loop is held up, then the loop is let go. Each time an accepted connection reaches the
     * listener's pipeline, the descriptors this process opened by accepting are counted; none of
     * those counts may pass the budget plus the one connection being checked. Twenty connects
     * against a budget of two are more than the NIO transport's default batch of 16 accepts a read.
     */
    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"AUTO", "NIO"})
    void aBurstWaitingInTheBacklogNeverMakesTheListenerHoldMoreThanTheBudgetPlusOne(Transport wanted) throws Exception {
        assumeTrue(Files.isDirectory(OPEN_FILES), "counting open descriptors needs Linux's /proc/self/fd");
        int budget = 2;
        int burst = 20;
        NettyTransport transport = NettyTransport.resolve(wanted);
        EventLoopGroup acceptLoop = new MultiThreadIoEventLoopGroup(1, transport.ioHandlers());
        EventLoopGroup connectionLoop = new MultiThreadIoEventLoopGroup(1, transport.ioHandlers());
        List<Socket> clients = new ArrayList<>();
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(acceptLoop, connectionLoop)
                    .channel(transport.serverChannel())
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel accepted) {
                            // Nothing to serve: the test only counts the connections held.
                        }
                    });
            Channel listener = AcceptHandler.installOn(bootstrap, console, budget)
                    .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
            AtomicLong before = new AtomicLong();
            List<Long> acceptedAndOpen = new CopyOnWriteArrayList<>();
            listener.pipeline().addFirst(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object accepted) throws IOException {
                    acceptedAndOpen.add(openFiles() - before.get());
                    ctx.fireChannelRead(accepted);
                }
            });

            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            listener.eventLoop().execute(() -> {
                held.countDown();
                awaitQuietly(release);
            });
            assertThat(held.await(10, TimeUnit.SECONDS)).as("accepting loop held up").isTrue();
            for (int i = 0; i < burst; i++) {
                // The kernel completes the handshake on its own: each connect returns, and waits in the backlog.
                clients.add(new Socket(InetAddress.getLoopbackAddress(), ((InetSocketAddress) listener.localAddress()).getPort()));
            }
            before.set(openFiles());
            release.countDown();

            await().atMost(Duration.ofSeconds(10)).until(() -> acceptedAndOpen.size() == burst);
            assertThat(acceptedAndOpen).as("descriptors held by accepting, counted as each connection reached the pipeline")
                    .allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(budget + 1L));
            listener.close().sync();
        } finally {
            clients.forEach(Sockets::closeQuietly);
            acceptLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            connectionLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static long openFiles() throws IOException {
        try (Stream<Path> files = Files.list(OPEN_FILES)) {
            return files.count();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<String> lines() {
        return printed.toString(StandardCharsets.UTF_8).lines().toList();
    }
}

package dev.socketchat.asyncchannels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.WritePendingException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The traps of completion handlers, shown on the JDK's own channels, without the chat server: each
 * test is a fact that {@link AsyncConnection} and {@link AsyncChannelsServer} are written around,
 * and names the place in the code that meets it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CompletionHandlerTrapsTest {

    private final CompletableFuture<Throwable> uncaught = new CompletableFuture<>();
    private AsynchronousChannelGroup group;
    private AsynchronousServerSocketChannel listener;
    private Socket peer;
    private AsynchronousSocketChannel channel;

    @BeforeEach
    void connect() throws Exception {
        group = AsynchronousChannelGroup.withFixedThreadPool(4, Thread.ofPlatform().name("trap-", 1)
                .uncaughtExceptionHandler((thread, e) -> uncaught.complete(e)).factory());
        listener = AsynchronousServerSocketChannel.open(group)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Future<AsynchronousSocketChannel> accepted = listener.accept();
        peer = new Socket();
        peer.connect(listener.getLocalAddress());
        channel = accepted.get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        peer.close();
        group.shutdownNow();
        assertThat(group.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Why AsyncConnection.onOutboxReady only sets a flag when a write is in flight. */
    @Test
    void aSecondWriteWhileOneIsPendingThrowsWritePendingException() {
        // The peer never reads: write until the socket buffers are full and a write has to wait.
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
        Future<Integer> write;
        int writes = 0;
        do {
            chunk.clear();
            write = channel.write(chunk);
            writes++;
        } while (write.isDone() && writes < 1_000);
        assertThat(write.isDone()).as("a write left pending by a peer that does not read").isFalse();

        assertThatThrownBy(() -> channel.write(ByteBuffer.wrap(new byte[] {1})))
                .isInstanceOf(WritePendingException.class);
    }

    /**
     * Why a write is never started with the room's lock held (AsyncChannelsServer.startWrites), and
     * why AsyncConnection.read and writePending touch nothing after their call: started on a pool
     * thread, an operation that can complete at once runs its handler right there, on the same
     * stack, inside the call; a handler that starts the next one nests deeper, up to a limit the JDK
     * sets (16 by default) before it hands the next handler to the pool instead.
     */
    @Test
    void aHandlerMayRunInsideTheCallThatStartedItAndNestDeeper() throws Exception {
        int links = 50;
        WriteChain chain = new WriteChain(channel);

        // Started from this thread, outside the pool: the first handler runs on a pool thread.
        channel.write(ByteBuffer.wrap(new byte[] {1}), links, chain);
        chain.done.get(10, TimeUnit.SECONDS);

        assertThat(chain.deepest.get()).as("handlers nested on one thread's stack")
                .isGreaterThan(1).isLessThan(links);
    }

    /** Writes one byte, and from its handler the next, {@code left} more times. */
    private static final class WriteChain implements CompletionHandler<Integer, Integer> {

        private final AsynchronousSocketChannel channel;
        private final ThreadLocal<int[]> depthOnThisThread = ThreadLocal.withInitial(() -> new int[1]);
        private final AtomicInteger deepest = new AtomicInteger();
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        WriteChain(AsynchronousSocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public void completed(Integer written, Integer left) {
            int[] depth = depthOnThisThread.get();
            deepest.accumulateAndGet(++depth[0], Math::max);
            try {
                if (left == 0) {
                    done.complete(null);
                } else {
                    channel.write(ByteBuffer.wrap(new byte[] {1}), left - 1, this);
                }
            } finally {
                depth[0]--;
            }
        }

        @Override
        public void failed(Throwable e, Integer left) {
            done.completeExceptionally(e);
        }
    }

    /**
     * Why AsyncConnection's state is either handed from one handler of a chain to the next or
     * volatile, and why a handler touches nothing of its chain after starting the next operation:
     * one channel's handlers run on different pool threads, and the next one may run while the
     * previous one is still on its thread's stack. Here each read handler, once it has started the
     * next read, stays until that read's handler has begun, which can only be on another thread. The
     * peer sends a byte only after the previous one was handled, so each read is an event of its own.
     */
    @Test
    void oneChannelsHandlersRunOnDifferentThreadsAndMayOverlap() throws Exception {
        int rounds = 20;
        CountDownLatch[] begun = new CountDownLatch[rounds];
        Arrays.setAll(begun, i -> new CountDownLatch(1));
        String[] threadOfRound = new String[rounds];
        AtomicInteger round = new AtomicInteger();
        Semaphore handled = new Semaphore(0);
        ByteBuffer buffer = ByteBuffer.allocate(16);
        channel.read(buffer, null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer count, Void unused) {
                int current = round.getAndIncrement();
                threadOfRound[current] = Thread.currentThread().getName();
                begun[current].countDown();
                if (count > 0 && current + 1 < rounds) {
                    channel.read(buffer.clear(), null, this);
                    handled.release();
                    awaitQuietly(begun[current + 1]);
                } else {
                    handled.release();
                }
            }

            @Override
            public void failed(Throwable e, Void unused) {
                handled.release();
            }
        });

        for (int i = 0; i < rounds; i++) {
            peer.getOutputStream().write(i);
            assertThat(handled.tryAcquire(10, TimeUnit.SECONDS)).as("round %d handled", i).isTrue();
        }

        for (int i = 1; i < rounds; i++) {
            assertThat(threadOfRound[i]).as("the thread of read %d", i)
                    .startsWith("trap-").isNotEqualTo(threadOfRound[i - 1]);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Why every handler in AsyncConnection catches what it throws: an exception thrown out of
     * {@code completed} reaches neither {@code failed} nor the code that started the operation. It
     * ends the pool thread, and only the thread's uncaught-exception handler hears of it (by default
     * a stack trace on standard error), while the channel waits for an operation nobody starts.
     */
    @Test
    void anExceptionThrownByAHandlerGoesToThePoolThreadNotToFailed() throws Exception {
        CompletableFuture<Throwable> seenByFailed = new CompletableFuture<>();
        IllegalStateException bug = new IllegalStateException("a bug in a handler");

        channel.write(ByteBuffer.wrap(new byte[] {1}), null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer written, Void unused) {
                throw bug;
            }

            @Override
            public void failed(Throwable e, Void unused) {
                seenByFailed.complete(e);
            }
        });

        assertThat(uncaught.get(10, TimeUnit.SECONDS)).isSameAs(bug);
        assertThat(seenByFailed).isNotDone();
        InputStream in = peer.getInputStream();
        assertThat(in.read()).as("the write itself went through").isEqualTo(1);
    }
}

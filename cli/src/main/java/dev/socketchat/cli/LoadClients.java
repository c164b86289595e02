package dev.socketchat.cli;

import dev.socketchat.client.ChatClient;
import dev.socketchat.client.LoopbackSources;
import dev.socketchat.protocol.Frame;
import dev.socketchat.protocol.FrameDecoder;
import dev.socketchat.protocol.ProtocolException;
import dev.socketchat.server.Threads;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many chat clients on one thread, for {@code chat load}: non-blocking channels and a selector, so
 * that 10,000 clients cost this process one thread and the server under watch is the one working.
 *
 * <p>The loop, on thread {@code load}:
 * <pre>
 *   open connections, at most {@value #CONNECTING} at a time still waiting for their welcome
 *   send the chat messages now due (RATE per second in all, round robin over the welcomed clients)
 *   select ──► connectable: finish the connect
 *          ──► readable:    read, cut frames with the shared {@link FrameDecoder}, account for them
 *          ──► writable:    write what a full socket buffer left over
 * </pre>
 *
 * <p>A round trip is timed from the moment a client's message is queued until its own copy comes
 * back: the server relays every chat message to the sender too, and a client's messages keep their
 * order (docs/protocol.md §4, §5), so each client's send times form a queue. Idle clients send an
 * empty frame every {@link #KEEPALIVE_NANOS minute}, well inside the default idle timeout.
 */
final class LoadClients implements AutoCloseable {

    static final int CONNECTING = 200;
    private static final long KEEPALIVE_NANOS = 60_000_000_000L;
    /** Round trips kept per status interval; beyond that the p99 is of the first ones. */
    private static final int MAX_SAMPLES = 200_000;

    /** What a status line shows, counted since the previous one. */
    record Snapshot(int connected, int target, long sent, long received, double p99Millis, int lost, String problem) {
    }

    private final InetSocketAddress server;
    private final int target;
    private final int ratePerSecond;
    private final FrameDecoder decoder = new FrameDecoder(ChatClient.DEFAULT_MAX_INBOUND);
    private final Selector selector;
    private final Thread loop;
    private final List<Client> welcomed = new ArrayList<>();

    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private volatile String problem = "";
    private long[] samples = new long[1024];
    private int sampleCount;

    private int opened;
    private int waitingForWelcome;
    private long messagesDue;
    private int nextSender;
    private volatile boolean running = true;

    private LoadClients(InetSocketAddress server, int clients, int ratePerSecond) throws IOException {
        this.server = server;
        this.target = clients;
        this.ratePerSecond = ratePerSecond;
        this.selector = Selector.open();
        this.loop = new Thread(this::run, "load");
    }

    /**
     * Starts connecting {@code clients} clients to {@code server}; they chat at {@code ratePerSecond}
     * messages per second in all, or stay idle if it is 0.
     */
    static LoadClients start(InetSocketAddress server, int clients, int ratePerSecond) throws IOException {
        LoadClients load = new LoadClients(server, clients, ratePerSecond);
        load.loop.start();
        return load;
    }

    /** The counts since the previous snapshot, and the clients connected now. */
    Snapshot snapshot() {
        double p99;
        synchronized (this) {
            long[] sorted = Arrays.copyOf(samples, sampleCount);
            sampleCount = 0;
            Arrays.sort(sorted);
            p99 = sorted.length == 0 ? Double.NaN
                    : sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1e6;
        }
        return new Snapshot(connected.get(), target, sent.getAndSet(0), received.getAndSet(0), p99, lost.get(), problem);
    }

    private void run() {
        long start = System.nanoTime();
        long lastKeepalive = start;
        try {
            while (running) {
                openMore();
                long now = System.nanoTime();
                if (ratePerSecond > 0) {
                    sendDue(now - start);
                } else if (now - lastKeepalive > KEEPALIVE_NANOS) {
                    welcomed.forEach(client -> client.queue(Frame.KEEPALIVE.buffer()));
                    lastKeepalive = now;
                }
                // Wakes often enough to keep the rate smooth; an idle load only needs the keepalive.
                selector.select(ratePerSecond > 0 ? 5 : 1_000);
                for (SelectionKey key : selector.selectedKeys()) {
                    ((Client) key.attachment()).ready(key);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            problem = "the load loop failed: " + e.getMessage();
        } finally {
            for (SelectionKey key : selector.keys()) {
                ((Client) key.attachment()).close();
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // Nothing left to release.
            }
        }
    }

    private void openMore() {
        while (opened < target && waitingForWelcome < CONNECTING && problem.isEmpty()) {
            try {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                LoopbackSources.bind(channel, opened, server);
                Client client = new Client(channel);
                if (channel.connect(server)) {
                    channel.register(selector, SelectionKey.OP_READ, client);
                } else {
                    channel.register(selector, SelectionKey.OP_CONNECT, client);
                }
                opened++;
                waitingForWelcome++;
            } catch (IOException e) {
                // Typically "Too many open files": say so once, and hold the clients already there.
                problem = "stopped opening at " + opened + " clients: " + e.getMessage();
            }
        }
    }

    private void sendDue(long elapsedNanos) {
        long due = elapsedNanos * ratePerSecond / 1_000_000_000L - messagesDue;
        if (welcomed.isEmpty() || due <= 0) {
            return;
        }
        messagesDue += due;
        long now = System.nanoTime();
        for (long i = 0; i < due; i++) {
            Client client = welcomed.get(nextSender++ % welcomed.size());
            client.sentAt.add(now);
            client.queue(Frame.of("load " + messagesDue).buffer());
            sent.incrementAndGet();
        }
    }

    private synchronized void sample(long nanos) {
        if (sampleCount < MAX_SAMPLES) {
            if (sampleCount == samples.length) {
                samples = Arrays.copyOf(samples, samples.length * 2);
            }
            samples[sampleCount++] = nanos;
        }
    }

    /**
     * Closes every client and ends the loop thread; waits for it, even if the caller is interrupted
     * (as Ctrl-C may do), so that no client outlives the command. The interrupt is kept.
     */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        Threads.joinUninterruptibly(loop);
    }

    /** One client's connection: what it has read, what it must still write, and when it sent what. */
    private final class Client {

        private final SocketChannel channel;
        private final ArrayDeque<ByteBuffer> outgoing = new ArrayDeque<>();
        private final ArrayDeque<Long> sentAt = new ArrayDeque<>();
        private ByteBuffer in = ByteBuffer.allocate(256);
        private String ownPrefix;

        Client(SocketChannel channel) {
            this.channel = channel;
        }

        void ready(SelectionKey key) {
            try {
                if (key.isConnectable() && channel.finishConnect()) {
                    key.interestOps(SelectionKey.OP_READ);
                }
                if (key.isValid() && key.isReadable()) {
                    read();
                }
                if (key.isValid() && key.isWritable()) {
                    flush();
                }
            } catch (IOException e) {
                // A reset, a close, or a frame that breaks the protocol: this client is done.
                lose();
            }
        }

        private void read() throws IOException, ProtocolException {
            if (channel.read(in) < 0) {
                lose();
                return;
            }
            in.flip();
            String payload;
            while ((payload = decoder.decode(in)) != null) {
                frame(payload);
            }
            int needed = decoder.bytesNeeded(in);
            in.compact();
            if (needed > in.capacity()) {
                // A frame larger than the buffer: grow to hold it whole, never beyond the maximum.
                in = ByteBuffer.allocate(needed).put(in.flip());
            }
        }

        private void frame(String payload) {
            if (ownPrefix == null) {
                if (!payload.startsWith("* welcome ")) {
                    problem = "refused: " + payload;
                    lose();
                    return;
                }
                waitingForWelcome--;
                ownPrefix = "[" + payload.split(" ")[2] + "] ";
                welcomed.add(this);
                connected.incrementAndGet();
                return;
            }
            received.incrementAndGet();
            if (payload.startsWith(ownPrefix) && !sentAt.isEmpty()) {
                sample(System.nanoTime() - sentAt.poll());
            }
        }

        void queue(ByteBuffer frame) {
            outgoing.add(frame);
            try {
                flush();
            } catch (IOException e) {
                lose();
            }
        }

        private void flush() throws IOException {
            while (!outgoing.isEmpty()) {
                ByteBuffer head = outgoing.peek();
                channel.write(head);
                if (head.hasRemaining()) {
                    // The socket's send buffer is full: the selector says when it drains.
                    channel.keyFor(selector).interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    return;
                }
                outgoing.poll();
            }
            SelectionKey registered = channel.keyFor(selector);
            if (registered != null && registered.isValid() && (registered.interestOps() & SelectionKey.OP_WRITE) != 0) {
                registered.interestOps(SelectionKey.OP_READ);
            }
        }

        private void lose() {
            if (!channel.isOpen()) {
                return;
            }
            if (ownPrefix == null) {
                waitingForWelcome--;
            } else {
                welcomed.remove(this);
                connected.decrementAndGet();
            }
            lost.incrementAndGet();
            close();
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing a socket releases it even when the close reports an error.
            }
        }
    }
}

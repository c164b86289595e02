package dev.socketchat.load;

import dev.socketchat.client.ChatClient;
import dev.socketchat.client.LoopbackSources;
import dev.socketchat.protocol.Frame;
import dev.socketchat.protocol.FrameHeader;
import dev.socketchat.protocol.ProtocolException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The load generator of {@code chat load} and of the benchmarks: any number of chat clients, all
 * driven by one thread with non-blocking channels and a selector.
 *
 * <p>A thread per client would measure the load generator: a thousand client threads on two cores
 * spend their time being scheduled, and the server under test would look slower than it is. One
 * loop thread costs the same whatever the number of clients, so the numbers vary with the server,
 * not with the driver.
 *
 * <p>The loop, on thread {@code client-driver}:
 * <pre>
 *   run tasks handed over by other threads (start, snapshot, ...)
 *   select ──► connectable: finish the connect
 *          ──► readable:    read, cut whole frames, hand each to {@link #frame}; write any replies
 *          ──► writable:    write what a full socket buffer left over
 *   {@link #afterTurn()}, write what is still pending, publish progress to a waiting thread
 * </pre>
 *
 * <p>Connecting: {@link #connect} (which waits) and {@link #startConnecting} (which does not) open
 * connections with at most {@value #MAX_CONNECTING} at a time waiting for their welcome frame, so
 * that a listen backlog never overflows and a measured accept time is the server's, not TCP's
 * retransmission timer. A client counts as <em>welcomed</em> once its {@code * welcome} frame
 * arrives; an error frame, a reset or a close before that counts it as <em>refused</em>; a welcomed
 * client that loses its connection counts as <em>dropped</em>.
 *
 * <p>Frames are cut with {@code FrameHeader.parse} on the read buffer rather than with the shared
 * {@code FrameDecoder}, because the decoder turns every payload into a {@code String} and this loop,
 * which receives millions of frames a second, only needs to know where each frame ends.
 *
 * <p>Subclasses give the workload: they see every frame after the welcome, on the loop thread,
 * and report completed operations with {@link #completed(long)}; JMH's thread waits for them with
 * {@link #awaitCompleted(long)}.
 */
public abstract class ClientDriver implements AutoCloseable {

    /** What a benchmark client accepts from a server, as {@link ChatClient} does. */
    public static final int MAX_INBOUND = ChatClient.DEFAULT_MAX_INBOUND;
    /** How long waiting may go without any progress before the run is declared stuck. */
    public static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);

    private static final int MAX_CONNECTING = 128;
    private static final int INITIAL_BUFFER = 4096;
    private static final long DEFAULT_TURN_MILLIS = 100;
    private static final byte[] WELCOME = "* welcome ".getBytes(StandardCharsets.US_ASCII);

    /** One connection; touched by the loop thread only. */
    protected static final class Client {
        private final int index;
        private final SocketChannel channel;
        private SelectionKey key;
        private ByteBuffer in = ByteBuffer.allocate(INITIAL_BUFFER);
        private ByteBuffer out = ByteBuffer.allocate(0);
        private boolean welcomed;
        private boolean open = true;
        private boolean dirty;
        private boolean writeInterest;

        private Client(int index, SocketChannel channel) {
            this.index = index;
            this.channel = channel;
        }

        /** Its place among the driver's clients, from 0: the order in which it was opened. */
        public int index() {
            return index;
        }

        /** Whether its connection is still open. */
        public boolean isOpen() {
            return open;
        }

        /** Whether its welcome frame arrived. */
        public boolean isWelcomed() {
            return welcomed;
        }
    }

    /**
     * How connecting went.
     *
     * @param welcomed how many clients got their welcome frame
     * @param refused  how many were refused, reset or closed before that
     * @param nanos    from the first connect to the last welcome (or to the deadline)
     * @param refusal  what the first refused client saw; empty if none was
     * @param timedOut whether the deadline passed first
     */
    public record Joined(int welcomed, int refused, long nanos, String refusal, boolean timedOut) {
    }

    /**
     * The connections so far, for a caller that does not wait for them.
     *
     * @param welcomed every client that got its welcome frame, those dropped since included
     * @param refused  clients refused, reset or closed before their welcome, or that could not connect
     * @param dropped  welcomed clients that lost their connection since
     * @param refusal  what the first refused client saw; empty if none was
     */
    public record Connections(int welcomed, int refused, int dropped, String refusal) {

        /** Clients welcomed and still connected. */
        public int held() {
            return welcomed - dropped;
        }
    }

    private final InetSocketAddress server;
    private final Client[] clients;
    private final Selector selector;
    private final long turnMillis;
    private final Thread loop;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<Client> dirty = new ArrayList<>();
    private volatile boolean running = true;
    private volatile Throwable failure;

    // Connect phase; loop thread only.
    private CompletableFuture<Joined> joining;
    private boolean opening;
    private int expected;
    private int nextToOpen;
    private int connecting;
    private int welcomed;
    private int refused;
    private int lostAfterWelcome;
    private long connectStart;
    private long connectDeadline;
    private String firstRefusal = "";

    // Progress: counted on the loop thread, published once per turn to a thread that waits.
    private long completed;
    private final AtomicLong published = new AtomicLong();
    private volatile Thread waiter;
    private volatile long awaited = Long.MAX_VALUE;

    protected ClientDriver(InetSocketAddress server, int clientCount) throws IOException {
        this(server, clientCount, Duration.ofMillis(DEFAULT_TURN_MILLIS));
    }

    /**
     * A driver whose loop turns at least every {@code turn} when nothing is ready: a workload that
     * acts on the clock in {@link #afterTurn()}, such as a steady rate of messages, needs it short.
     */
    protected ClientDriver(InetSocketAddress server, int clientCount, Duration turn) throws IOException {
        this.server = server;
        this.clients = new Client[clientCount];
        this.selector = Selector.open();
        this.turnMillis = Math.max(1, turn.toMillis());
        this.loop = Thread.ofPlatform().name("client-driver").daemon().start(this::run);
    }

    /**
     * Connects every client and waits until {@code expected} of them are welcomed, every one has been
     * welcomed or refused, or {@code timeout} passes. {@code expected} is below the client count when
     * the model serves fewer clients at once: no more are opened once that many are in.
     */
    public Joined connect(int expected, Duration timeout) throws IOException {
        CompletableFuture<Joined> result = new CompletableFuture<>();
        execute(() -> beginConnect(expected, timeout.toNanos(), result));
        return await(result, timeout.plus(STALL_TIMEOUT));
    }

    /**
     * Starts connecting every client and returns at once; the loop keeps opening until every client
     * was welcomed or refused. {@link #connections()} says how far it got.
     */
    public void startConnecting() throws IOException {
        execute(() -> {
            expected = clients.length;
            opening = true;
            connectStart = System.nanoTime();
            openMore();
        });
    }

    /** The connections so far. */
    public Connections connections() throws IOException {
        return call(() -> new Connections(welcomed, refused, lostAfterWelcome, firstRefusal));
    }

    /** Clients welcomed and still connected. */
    public int held() throws IOException {
        return connections().held();
    }

    /** Operations completed so far, as last published by the loop. */
    public long completedSoFar() {
        return published.get();
    }

    /**
     * Blocks until {@code target} operations have completed in total.
     *
     * @throws IOException if the loop failed, or no operation completed for {@link #STALL_TIMEOUT}
     */
    public void awaitCompleted(long target) throws IOException {
        waiter = Thread.currentThread();
        awaited = target;
        try {
            long last = published.get();
            long stallDeadline = System.nanoTime() + STALL_TIMEOUT.toNanos();
            while (last < target) {
                throwIfFailed();
                // Woken by the loop once the target is reached; the timeout bounds a missed wakeup.
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(50));
                long now = published.get();
                if (now != last) {
                    last = now;
                    stallDeadline = System.nanoTime() + STALL_TIMEOUT.toNanos();
                } else if (System.nanoTime() - stallDeadline > 0) {
                    throw new IOException("no progress for " + STALL_TIMEOUT.toSeconds() + " s: the server stopped answering");
                }
            }
        } finally {
            awaited = Long.MAX_VALUE;
            waiter = null;
        }
    }

    /** Runs {@code task} on the loop thread and returns its result. */
    protected final <T> T call(Callable<T> task) throws IOException {
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return await(result, STALL_TIMEOUT);
    }

    private <T> T await(CompletableFuture<T> result, Duration timeout) throws IOException {
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("client driver: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throwIfFailed();
            throw new IOException("client driver did not answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void execute(Runnable task) throws IOException {
        throwIfFailed();
        tasks.add(task);
        selector.wakeup();
    }

    private void throwIfFailed() throws IOException {
        Throwable cause = failure;
        if (cause != null) {
            throw new IOException("client driver failed: " + cause.getMessage(), cause);
        }
        if (!loop.isAlive()) {
            throw new IOException("client driver is closed");
        }
    }

    /** A frame after the client's welcome: the workload's business. Runs on the loop thread. */
    protected abstract void frame(Client client, byte[] bytes, int offset, int length, long receivedAt)
            throws IOException;

    /** Called once per loop turn, after every ready channel was handled. */
    protected void afterTurn() throws IOException {
    }

    /** A client's welcome frame arrived; it is a member from now on. Runs on the loop thread. */
    protected void welcomed(Client client, byte[] bytes, int offset, int length) {
    }

    /** A welcomed client lost its connection. Runs on the loop thread. */
    protected void lost(Client client, String reason) throws IOException {
    }

    /** Counts operations as done, for {@link #awaitCompleted(long)}. Loop thread only. */
    protected final void completed(long operations) {
        completed += operations;
    }

    /** Every client, by index; entries are null for clients never opened. Loop thread only. */
    protected final Client[] clients() {
        return clients;
    }

    /** Queues bytes for a client; they are written before the loop selects again. Loop thread only. */
    protected final void send(Client client, byte[] bytes) {
        if (!client.open) {
            return;
        }
        ByteBuffer out = client.out;
        if (out.remaining() < bytes.length) {
            ByteBuffer larger = ByteBuffer.allocate(Math.max(2 * out.capacity(), out.position() + bytes.length));
            out.flip();
            larger.put(out);
            client.out = out = larger;
        }
        out.put(bytes);
        if (!client.dirty) {
            client.dirty = true;
            dirty.add(client);
        }
    }

    /** Marks the run as failed: every waiting thread gets this reason. Loop thread only. */
    protected final void fail(String reason) {
        throw new IllegalStateException(reason);
    }

    protected static boolean startsWith(byte[] bytes, int offset, int length, byte[] prefix) {
        return length >= prefix.length && Arrays.equals(bytes, offset, offset + prefix.length, prefix, 0, prefix.length);
    }

    /** A frame as the bytes {@link #send} writes. */
    protected static byte[] wire(Frame frame) {
        ByteBuffer buffer = frame.buffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    protected static String text(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, Math.min(length, 200), StandardCharsets.UTF_8);
    }

    private void run() {
        try {
            while (running) {
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                selector.select(this::handle, turnMillis);
                afterTurn();
                flushDirty();
                publishProgress();
                if (opening) {
                    openMore();
                    checkJoined();
                }
            }
        } catch (Throwable e) {
            failure = e;
            if (joining != null) {
                joining.completeExceptionally(e);
            }
            Thread waiting = waiter;
            if (waiting != null) {
                LockSupport.unpark(waiting);
            }
        } finally {
            closeEverything();
        }
    }

    private void handle(SelectionKey key) {
        Client client = (Client) key.attachment();
        try {
            if (key.isConnectable() && client.channel.finishConnect()) {
                key.interestOps(SelectionKey.OP_READ);
            }
            if (key.isValid() && key.isReadable()) {
                read(client);
            }
            if (client.open && key.isValid() && key.isWritable()) {
                flush(client);
            }
        } catch (ProtocolException e) {
            fail("the server sent a bad frame to client " + client.index + ": " + e.getMessage());
        } catch (IOException e) {
            close(client, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private void read(Client client) throws IOException {
        int count = client.channel.read(client.in);
        if (count < 0) {
            close(client, "closed by the server");
            return;
        }
        long receivedAt = System.nanoTime();
        ByteBuffer in = client.in.flip();
        byte[] bytes = in.array();
        int needed = 0;
        while (client.open && in.remaining() >= FrameHeader.LENGTH) {
            int start = in.position();
            int length = FrameHeader.parse(bytes, start, MAX_INBOUND);
            if (in.remaining() < FrameHeader.LENGTH + length) {
                needed = FrameHeader.LENGTH + length;
                break;
            }
            int payload = start + FrameHeader.LENGTH;
            in.position(payload + length);
            if (client.welcomed) {
                frame(client, bytes, payload, length, receivedAt);
            } else {
                welcome(client, bytes, payload, length);
            }
        }
        in.compact();
        if (needed > in.capacity()) {
            // A frame larger than the buffer has started: grow it, keeping the bytes already read.
            ByteBuffer larger = ByteBuffer.allocate(needed);
            client.in = larger.put(in.flip());
        }
        if (client.dirty) {
            flush(client);
        }
    }

    private void welcome(Client client, byte[] bytes, int offset, int length) {
        connecting--;
        if (startsWith(bytes, offset, length, WELCOME)) {
            client.welcomed = true;
            welcomed++;
            welcomed(client, bytes, offset, length);
        } else {
            refuse(text(bytes, offset, length));
            closeChannel(client);
        }
    }

    private void refuse(String reason) {
        refused++;
        if (firstRefusal.isEmpty()) {
            firstRefusal = reason;
        }
    }

    private void close(Client client, String reason) {
        if (!client.open) {
            return;
        }
        closeChannel(client);
        if (client.welcomed) {
            lostAfterWelcome++;
            try {
                lost(client, reason);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        } else {
            connecting--;
            refuse(reason);
        }
    }

    private static void closeChannel(Client client) {
        client.open = false;
        try {
            client.channel.close();
        } catch (IOException e) {
            // Closed either way.
        }
    }

    private void flushDirty() throws IOException {
        for (Client client : dirty) {
            if (client.dirty && client.open) {
                try {
                    flush(client);
                } catch (IOException e) {
                    close(client, e.getMessage());
                }
            }
            client.dirty = false;
        }
        dirty.clear();
    }

    private void flush(Client client) throws IOException {
        client.dirty = false;
        ByteBuffer out = client.out.flip();
        // May write only part: the rest waits for OP_WRITE.
        client.channel.write(out);
        out.compact();
        boolean pending = out.position() > 0;
        if (pending != client.writeInterest) {
            client.writeInterest = pending;
            client.key.interestOps(pending ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
    }

    private void publishProgress() {
        if (completed != published.get()) {
            published.set(completed);
            if (completed >= awaited) {
                Thread waiting = waiter;
                if (waiting != null) {
                    LockSupport.unpark(waiting);
                }
            }
        }
    }

    private void beginConnect(int expected, long timeoutNanos, CompletableFuture<Joined> result) {
        this.expected = Math.min(expected, clients.length);
        this.joining = result;
        this.opening = true;
        this.connectStart = System.nanoTime();
        this.connectDeadline = connectStart + timeoutNanos;
        openMore();
        checkJoined();
    }

    private void openMore() {
        while (connecting < MAX_CONNECTING && nextToOpen < clients.length && welcomed < expected) {
            int index = nextToOpen++;
            connecting++;
            SocketChannel channel = null;
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                LoopbackSources.bind(channel, index, server);
                Client client = new Client(index, channel);
                clients[index] = client;
                boolean connected = channel.connect(server);
                client.key = channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, client);
            } catch (IOException e) {
                // For example too many open files: this client never gets in.
                connecting--;
                refuse("cannot connect: " + e.getMessage());
                if (channel != null) {
                    try {
                        channel.close();
                    } catch (IOException ignored) {
                        // Closed either way.
                    }
                }
            }
        }
    }

    private void checkJoined() {
        if (joining == null) {
            return;
        }
        long now = System.nanoTime();
        boolean done = welcomed >= expected || welcomed + refused >= clients.length;
        boolean timedOut = !done && now - connectDeadline > 0;
        if (done || timedOut) {
            joining.complete(new Joined(welcomed, refused, now - connectStart, firstRefusal, timedOut));
            joining = null;
            // What connect asked for is settled: no more are opened, as a benchmark expects.
            opening = false;
        }
    }

    /** Closes every connection and stops the loop thread; waits for it. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            loop.join(STALL_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeEverything() {
        for (Client client : clients) {
            if (client != null && client.open) {
                closeChannel(client);
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            // Nothing left to release.
        }
    }
}

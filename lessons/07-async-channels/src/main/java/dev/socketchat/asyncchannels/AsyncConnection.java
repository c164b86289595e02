package dev.socketchat.asyncchannels;

import dev.socketchat.protocol.Frame;
import dev.socketchat.protocol.FrameDecoder;
import dev.socketchat.protocol.FrameHeader;
import dev.socketchat.protocol.FrameTimeoutException;
import dev.socketchat.protocol.IdleTimeoutException;
import dev.socketchat.protocol.ProtocolException;
import dev.socketchat.protocol.TruncatedFrameException;
import dev.socketchat.room.BoundedOutbox;
import dev.socketchat.room.ChatRoom;
import dev.socketchat.room.Member;
import dev.socketchat.room.PendingWrites;
import dev.socketchat.server.Sockets;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ShutdownChannelGroupException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BinaryOperator;

import static dev.socketchat.server.Deadlines.NEVER;

/**
 * One client, as two chains of operations that each start their successor from their own
 * completion handler: a read chain and a write chain. Each chain has at most one operation in
 * flight, which is the rule of {@link AsynchronousSocketChannel}: a second read while one is
 * pending throws {@code ReadPendingException}, a second write {@code WritePendingException}.
 *
 * <h2>Reading</h2>
 * The next read starts only when the previous one has been handled, so one read is ever
 * outstanding and one client's frames reach the room in the order they were sent. A proactor hands
 * the buffer over when it <em>starts</em> a read, and the read may wait for minutes: every idle
 * client holds its read buffer all that time. So the buffer is small ({@value #IDLE_READ_BUFFER}
 * bytes) unless the last read filled it, which says more is on its way; it grows to exactly what a
 * large frame needs once that frame's header has been checked, and shrinks back afterwards.
 *
 * <h2>Writing</h2>
 * A {@link WriteGate} says a write is in flight, or about to be. Only the thread that becomes the
 * writer through it starts a write; every later frame stays in the outbox, and the write's handler takes all of them
 * for its next gathering write. A partial write is continued from the handler. When the outbox is
 * empty the handler stops, unless a frame came in the meantime.
 *
 * <h2>Threads and visibility</h2>
 * One chain's handlers run one after the other, but not on the same thread: the JDK hands a
 * channel's events to whichever pool thread is free, and passes the chain's state (the read
 * buffer, the pending writes) from one to the next through its own synchronization. The two chains
 * run at the same time on different threads, and the timer thread and the room's callbacks reach in
 * too: what they share is {@code volatile} or atomic.
 *
 * <h2>Phases</h2>
 * The same as lesson 04's {@code ChannelConnection}, moved on by whichever thread sees the reason:
 * <pre>
 *  READING ──left, fault, shutdown──► DRAINING ──last frame written──► LINGERING ──EOF──► CLOSED
 *  deadline: idle, or frame           reads discarded                  output shut down; reads discarded
 *                                     deadline: grace                  deadline: linger
 *  (any phase ──slow consumer, reset, internal error, a deadline while draining or lingering──► CLOSED)
 * </pre>
 * A phase only ever moves forward, by an atomic step that leaves a later phase as it is: the write
 * chain ending the output cannot bring back a connection the timer has just closed.
 */
final class AsyncConnection {

    /** The read buffer while the client is quiet: a few small frames' worth, to keep idle clients cheap. */
    static final int IDLE_READ_BUFFER = 512;

    /** The read buffer after a read that filled the buffer: more is coming, take it in larger pieces. */
    static final int BUSY_READ_BUFFER = 16 * 1024;

    private enum Phase { READING, DRAINING, LINGERING, CLOSED }

    /** The later of two phases: a phase never moves back. */
    private static final BinaryOperator<Phase> LATER = (current, next) -> current.compareTo(next) < 0 ? next : current;

    private static final System.Logger LOG = System.getLogger(AsyncConnection.class.getName());

    private final AsyncChannelsServer server;
    private final AsynchronousSocketChannel channel;
    private final SocketAddress remote;
    private final String peer;
    private final BoundedOutbox outbox;
    private final ReadHandler reads = new ReadHandler();
    private final WriteHandler writes = new WriteHandler();
    private final WriteGate writing = new WriteGate();
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.READING);

    // Set once before the first read; read by the timer. Null for a client the room refused.
    private volatile Member member;

    // The read chain's own state.
    private ByteBuffer readBuffer = ByteBuffer.allocate(IDLE_READ_BUFFER);
    private long pause;
    // Written by the read chain, read by the timer and the write chain.
    private volatile long lastByteAt;
    private volatile long frameStartedAt = NEVER;
    private volatile boolean inputEnded;

    // The write chain's own state: frames taken from the outbox, not yet written.
    private final PendingWrites pending = new PendingWrites();
    // Written by the write chain before it moves to LINGERING; read by the timer after it sees LINGERING.
    private volatile long lingerSince;

    // The timer's own: when it first saw this client DRAINING.
    private long drainingSince = NEVER;

    AsyncConnection(AsyncChannelsServer server, AsynchronousSocketChannel channel) throws IOException {
        this.server = server;
        this.channel = channel;
        this.remote = channel.getRemoteAddress();
        this.peer = Sockets.describe(remote);
        this.outbox = new BoundedOutbox(server.options().outboundLimit(), this::onOutboxReady, this::close);
    }

    /** Enters the room; a refused client (full, shutting down) has its {@code !error} queued and a close. */
    void join() {
        lastByteAt = server.now();
        member = server.room().join(outbox, remote).orElse(null);
    }

    // ---- the read chain ------------------------------------------------------------------------

    void startReading() {
        read();
    }

    private void read() {
        try {
            // When bytes are already there, the JDK may read them at once and run reads.completed on
            // this thread, inside this call, up to 16 handlers deep: nothing after it may touch the
            // read chain's state.
            channel.read(readBuffer, null, reads);
        } catch (ShutdownChannelGroupException e) {
            close(); // stop() is ending the group
        } catch (RuntimeException e) {
            internalError(e); // ReadPendingException would be a bug of this class
            server.startWrites();
        }
    }

    private final class ReadHandler implements CompletionHandler<Integer, Void> {

        @Override
        public void completed(Integer count, Void unused) {
            boolean readAgain;
            try {
                readAgain = onRead(count);
            } catch (RuntimeException e) {
                // Thrown out of a handler, it would end this pool thread and leave the client with
                // no read outstanding, unanswered forever: see AsyncChannelsServer.threads.
                internalError(e);
                readAgain = false;
            } catch (OutOfMemoryError e) {
                // This client's frame does not fit in the heap: it ends this connection, and no other.
                fail("running out of memory", "out of memory", e);
                readAgain = false;
            }
            // What the room queued while this ran (pongs, a broadcast), now that it holds no lock.
            server.startWrites();
            if (readAgain) {
                readOrPause();
            }
        }

        @Override
        public void failed(Throwable e, Void unused) {
            if (!isClosed()) { // otherwise: AsynchronousCloseException, because we closed it
                lost(e);
                server.startWrites();
            }
        }
    }

    /** Handles what one read brought; returns whether to read again. */
    private boolean onRead(int count) {
        if (count < 0) {
            endOfInput();
            return false;
        }
        lastByteAt = server.now();
        return decodeFrames(!readBuffer.hasRemaining());
    }

    /**
     * Hands the whole frames in the read buffer to the room until the client's rate says to pause,
     * and keeps what is left, whole frames included, for the next read; returns whether to read on.
     *
     * @param filled whether the last read filled the buffer, so that more is likely on its way
     */
    private boolean decodeFrames(boolean filled) {
        Member reader = member;
        if (reader == null || !reader.isPresent()) {
            startDraining(); // leaving: what it still sends is not read any more
            return true;
        }
        ByteBuffer buffer = readBuffer.flip();
        FrameDecoder decoder = server.decoder();
        ChatRoom room = server.room();
        try {
            boolean decodedAny = false;
            String payload;
            while (pause == 0 && reader.isPresent() && (payload = decoder.decode(buffer)) != null) {
                pause = room.receive(reader, payload);
                decodedAny = true;
            }
            if (reader.isPresent()) {
                readBuffer = nextReadBuffer(buffer, filled, decodedAny);
            } else {
                startDraining(); // !Disconnect, or dropped: whatever else it sent is not read
            }
        } catch (ProtocolException e) {
            room.fault(reader, e);
            startDraining();
        }
        return true;
    }

    /**
     * The buffer for the next read, with the start of an unfinished frame at its front: small if
     * this read left room (the client has paused), larger if it filled the buffer, and growing with
     * the bytes of a large frame as they arrive, never to what its header merely announces
     * (docs/protocol.md §7, "memory follows bytes received"): a client that announces a megabyte and
     * sends one byte holds a buffer of {@value #IDLE_READ_BUFFER} bytes, which matters all the more
     * here because a proactor's read holds its buffer for as long as the client is silent.
     */
    private ByteBuffer nextReadBuffer(ByteBuffer buffer, boolean filled, boolean decodedAny) throws ProtocolException {
        int size = filled ? BUSY_READ_BUFFER : IDLE_READ_BUFFER;
        if (!buffer.hasRemaining()) {
            frameStartedAt = NEVER;
            return buffer.capacity() == size ? buffer.clear() : ByteBuffer.allocate(size);
        }
        boolean frameBeganInThisRead = decodedAny || frameStartedAt == NEVER;
        if (frameBeganInThisRead) {
            frameStartedAt = server.now();
        }
        // A buffer already sized for the frame in progress stays; one sized for earlier frames may
        // shrink. Either way the header, if complete, is checked before anything is allocated.
        int kept = frameBeganInThisRead ? size : Math.max(size, buffer.capacity());
        // Whole frames held back by the client's rate may be more than one frame's worth.
        size = Math.max(buffer.remaining(), server.decoder().capacityFor(buffer, kept));
        return buffer.capacity() == size ? buffer.compact() : ByteBuffer.allocate(size).put(buffer);
    }

    /**
     * Reads on, or, over its rate, leaves no read outstanding until the pause is over: what the
     * client sends waits in its socket, and TCP holds the sender back.
     */
    private void readOrPause() {
        if (pause == 0) {
            read();
            return;
        }
        long wait = pause;
        pause = 0;
        if (!server.later(this::resumeReading, wait)) {
            close(); // the server is stopping
        }
    }

    /** On the timer: the frames held back go to the room first, then reading goes on. */
    private void resumeReading() {
        // The time spent paused was the server's doing: the idle and frame timeouts count from now.
        lastByteAt = server.now();
        if (frameStartedAt != NEVER) {
            frameStartedAt = lastByteAt;
        }
        boolean readAgain;
        try {
            readAgain = decodeFrames(false);
        } catch (RuntimeException e) {
            internalError(e);
            readAgain = false;
        }
        server.startWrites();
        if (readAgain) {
            readOrPause();
        }
    }

    /**
     * The member has left: DRAINING, unless further on already. From now on, reads only wait for
     * the client to close, and a small buffer is enough for that.
     */
    private void startDraining() {
        phase.accumulateAndGet(Phase.DRAINING, LATER);
        frameStartedAt = NEVER;
        readBuffer = readBuffer.capacity() == IDLE_READ_BUFFER
                ? readBuffer.clear() : ByteBuffer.allocate(IDLE_READ_BUFFER);
    }

    private void endOfInput() {
        Member reader = member;
        if (reader != null && reader.isPresent()) {
            ByteBuffer buffer = readBuffer.flip();
            if (buffer.hasRemaining()) {
                int expected;
                try {
                    expected = server.decoder().bytesNeeded(buffer);
                } catch (ProtocolException e) {
                    expected = FrameHeader.LENGTH;
                }
                server.room().fault(reader, new TruncatedFrameException(buffer.remaining(), expected));
            } else {
                server.room().leave(reader, "");
            }
        }
        // One half of a handshake with finishOutput, on another thread: whichever writes second
        // (this flag, or the phase LINGERING) sees the other's write and closes.
        inputEnded = true;
        if (phase.get() == Phase.LINGERING) {
            close();
        }
    }

    // ---- the write chain -----------------------------------------------------------------------

    /**
     * The outbox's {@code onReady}: frames arrived in an empty outbox, or it was closed. Called by
     * whichever thread called the room, with the room's lock held, so it starts nothing itself.
     */
    private void onOutboxReady() {
        // If a write is in flight, its handler takes this frame with the next batch: calling write()
        // here instead would throw WritePendingException.
        if (writing.tryStart()) {
            server.writeSoon(this);
        }
    }

    /** Writes what the outbox holds. Called only by the writer (see {@link WriteGate}), holding no lock. */
    void writeQueued() {
        while (!isClosed()) {
            pending.add(outbox.poll());
            if (!pending.isEmpty()) {
                writePending();
                return;
            }
            if (outbox.isDrained()) {
                finishOutput(); // it stays the writer: nothing is written after the last frame
                return;
            }
            if (!writing.stopUnless(() -> outbox.queuedBytes() > 0 || outbox.isDrained())) {
                return;
            }
        }
    }

    /** One gathering write of what is pending; it completes once the socket has taken at least a byte. */
    private void writePending() {
        try {
            pending.writeTo(channel, writes);
        } catch (ShutdownChannelGroupException e) {
            close();
        }
    }

    private final class WriteHandler implements CompletionHandler<Long, Void> {

        @Override
        public void completed(Long written, Void unused) {
            try {
                if (pending.written(written, outbox)) {
                    writeQueued();
                } else {
                    // A partial write: the socket's send buffer is full. The next write waits in the
                    // JDK (in epoll, on Linux) until the client has read some, and this handler runs again.
                    writePending();
                }
            } catch (RuntimeException e) {
                internalError(e);
            }
            server.startWrites();
        }

        @Override
        public void failed(Throwable e, Void unused) {
            if (!isClosed()) {
                lost(e);
                server.startWrites();
            }
        }
    }

    /**
     * Everything is written and the outbox is closed: end the output and linger. Closing at once with
     * unread input would send a reset, which can destroy frames still on their way, such as the
     * {@code !error} that explains the close.
     */
    private void finishOutput() {
        if (inputEnded || outbox.isAborted()) {
            close();
            return;
        }
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            close();
            return;
        }
        lingerSince = server.now();
        // The other half of endOfInput's handshake. Closed meanwhile, it stays closed.
        if (phase.accumulateAndGet(Phase.LINGERING, LATER) == Phase.LINGERING && inputEnded) {
            close();
        }
    }

    // ---- time: called by the timer thread only -------------------------------------------------

    /** Acts on this connection's deadline if it has passed: idle or frame, grace while leaving, linger. */
    void checkDeadline(long now) {
        switch (phase.get()) {
            case READING -> {
                Member reader = member;
                if (reader == null || !reader.isPresent()) {
                    // Left while the read chain waits for the client: a shutdown, a refusal.
                    phase.accumulateAndGet(Phase.DRAINING, LATER);
                    drainingSince = now;
                    return;
                }
                long frameStart = frameStartedAt;
                if (frameStart != NEVER) {
                    if (now - frameStart >= server.options().frameTimeout().toNanos()) {
                        server.room().fault(reader, new FrameTimeoutException());
                    }
                } else if (now - lastByteAt >= server.options().idleTimeout().toNanos()) {
                    server.room().fault(reader, new IdleTimeoutException());
                }
            }
            case DRAINING -> {
                if (drainingSince == NEVER) {
                    drainingSince = now; // the read chain saw the leave first
                } else if (now - drainingSince >= server.options().grace().toNanos()) {
                    close(); // it did not take its last frames within the grace period
                }
            }
            case LINGERING -> {
                if (now - lingerSince >= Sockets.LINGER.toNanos()) {
                    close();
                }
            }
            case CLOSED -> {
            }
        }
    }

    // ---- closing -------------------------------------------------------------------------------

    /** The connection broke (reset, broken pipe): it leaves, and there is nobody left to write to. */
    private void lost(Throwable e) {
        Member gone = member;
        if (gone != null) {
            server.room().leave(gone, "connection lost: " + e.getMessage());
        }
        close();
    }

    /** A bug while serving this client: it is logged, the client leaves, the others carry on. */
    void internalError(RuntimeException e) {
        fail("an internal error", "internal error", e);
    }

    /** Something beyond the protocol ended this connection: it is logged, the client leaves, the others carry on. */
    private void fail(String cause, String reason, Throwable e) {
        server.console().error("closing " + this + " after " + cause + ": " + e);
        // The trace goes to the logger, at a level that is off by default (docs/protocol.md §9).
        LOG.log(System.Logger.Level.DEBUG, cause + " serving " + this, e);
        Member gone = member;
        if (gone != null) {
            server.room().leave(gone, reason);
        }
        close();
    }

    /**
     * Closes now, discarding anything not yet written: the end of every path, and the outbox's
     * {@code onAbort} when the room drops this client as too slow (then with the room's lock held,
     * so it does nothing slow). Any thread; only the first call counts.
     */
    void close() {
        if (phase.getAndSet(Phase.CLOSED) == Phase.CLOSED) {
            return;
        }
        // A pending read or write now fails with AsynchronousCloseException, on a pool thread.
        Sockets.closeQuietly(channel);
        outbox.abort(); // discards what is left, if anything; does nothing once already aborted
        server.forget(this);
    }

    private boolean isClosed() {
        return phase.get() == Phase.CLOSED;
    }

    @Override
    public String toString() {
        Member current = member;
        return current != null ? current.toString() : peer;
    }
}

package dev.socketchat.nio;

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
import dev.socketchat.server.Sockets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One client on the event loop: everything a thread kept on its stack in lesson 02 (how much of a
 * frame has arrived, how much of a write went out, when the client was last heard from) is kept here
 * in fields, because the loop leaves a connection after every step and comes back when the selector
 * says it can go on.
 *
 * <h2>Reading</h2>
 * A non-blocking read returns whatever has arrived: half a header, or twenty frames and the start of
 * the next one. The bytes go into a small buffer that grows only for a frame that needs more (up to
 * the maximum payload, whose header has then been checked) and shrinks back once that frame is done,
 * so ten thousand idle clients cost ten thousand small buffers. {@link FrameDecoder} takes out every
 * whole frame; the rest waits for the next read.
 *
 * <h2>Writing</h2>
 * The room puts frames into a {@link BoundedOutbox}; its {@code onReady} callback has the loop write
 * them at the end of the turn. The connection then takes every queued frame and writes them all with
 * one gathering write. Whatever the socket does not take stays in {@link #pending}, and only then does
 * the connection ask the selector for {@code OP_WRITE}; it drops that interest as soon as everything is
 * written, or the selector would report the writable socket every turn.
 *
 * <h2>Phases and deadlines</h2>
 * <pre>
 *  READING ──left, fault, shutdown──► DRAINING ──outbox written out──► LINGERING ──EOF──► CLOSED
 *  deadline: idle, or frame           deadline: grace               deadline: linger
 *  (any phase ──slow consumer, reset, deadline of DRAINING──► CLOSED at once)
 * </pre>
 *
 * <p>Used by the loop's thread only.
 */
final class ChannelConnection {

    private enum Phase { READING, DRAINING, LINGERING, CLOSED }

    /** The read buffer's size while no frame needs more: enough for many small frames per read. */
    static final int INITIAL_READ_BUFFER = 4096;

    /** The most buffers one gathering write takes: Linux's IOV_MAX. The JDK would cap it there too. */
    private static final int MAX_GATHER = 1024;

    /** How long a closed connection keeps reading (and discarding) until the client closes its side. */
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final SelectorLoop loop;
    private final SocketChannel channel;
    private final SelectionKey key;
    private final String peer;
    private final BoundedOutbox outbox;

    private Phase phase = Phase.READING;
    private Member member;
    private ByteBuffer readBuffer = ByteBuffer.allocate(INITIAL_READ_BUFFER);
    private boolean inputEnded;
    private long lastByteAt;
    private long frameStartedAt = SelectorLoop.NEVER;
    private long phaseDeadline = SelectorLoop.NEVER;

    // Views of the frames taken from the outbox and not yet fully written: [pendingStart, pendingEnd).
    private ByteBuffer[] pending = new ByteBuffer[8];
    private int pendingStart;
    private int pendingEnd;
    private boolean flushQueued;
    private boolean waitingForWritable;

    ChannelConnection(SelectorLoop loop, SocketChannel channel) throws IOException {
        this.loop = loop;
        this.channel = channel;
        this.peer = Sockets.describe(channel.getRemoteAddress());
        this.outbox = new BoundedOutbox(loop.options().outboundLimit(), this::onOutboxReady, this::close);
        this.key = channel.register(loop.selector(), SelectionKey.OP_READ, this);
    }

    /** Enters the room; a refused client (full, shutting down) gets its {@code !error} and is closed. */
    void join(ChatRoom room) {
        lastByteAt = loop.now();
        loop.scheduleSweep(deadline());
        Optional<Member> joined = room.join(outbox, peer);
        if (joined.isEmpty()) {
            stopReading();
            return;
        }
        member = joined.get();
    }

    // ---- reading -------------------------------------------------------------------------------

    void onReadable() {
        if (phase == Phase.LINGERING) {
            discardInput();
        } else if (phase == Phase.READING) {
            readFrames();
        }
    }

    private void readFrames() {
        int count;
        try {
            // Returns at once with what has arrived, which may be a single byte.
            count = channel.read(readBuffer);
        } catch (IOException e) {
            lost(e);
            return;
        }
        if (count < 0) {
            endOfInput();
            return;
        }
        if (count == 0) {
            return;
        }
        lastByteAt = loop.now();
        FrameDecoder decoder = loop.decoder();
        ByteBuffer buffer = readBuffer.flip();
        try {
            boolean decodedAny = false;
            String payload;
            while (member.isPresent() && (payload = decoder.decode(buffer)) != null) {
                loop.room().receive(member, payload);
                decodedAny = true;
            }
            if (!member.isPresent()) {
                // !Disconnect, or dropped: whatever else it sent is not read any more.
                stopReading();
                return;
            }
            keepPartialFrame(decoder, decodedAny);
        } catch (ProtocolException e) {
            loop.room().fault(member, e);
            stopReading();
        }
    }

    /** Keeps the start of an unfinished frame at the buffer's front, and makes room for the rest of it. */
    private void keepPartialFrame(FrameDecoder decoder, boolean decodedAny) throws ProtocolException {
        ByteBuffer buffer = readBuffer;
        if (!buffer.hasRemaining()) {
            frameStartedAt = SelectorLoop.NEVER;
            if (buffer.capacity() > INITIAL_READ_BUFFER) {
                readBuffer = ByteBuffer.allocate(INITIAL_READ_BUFFER); // the large frame is done
            } else {
                buffer.clear();
            }
            return;
        }
        if (decodedAny || frameStartedAt == SelectorLoop.NEVER) {
            // The unfinished frame began in this read: its frame timeout starts now.
            frameStartedAt = loop.now();
            loop.scheduleSweep(deadline());
        }
        // Checks the header, if complete, before anything is allocated for the payload.
        int needed = decoder.bytesNeeded(buffer);
        if (needed > buffer.capacity()) {
            readBuffer = ByteBuffer.allocate(needed).put(buffer);
        } else {
            buffer.compact();
        }
    }

    private void endOfInput() {
        inputEnded = true;
        ByteBuffer buffer = readBuffer.flip();
        if (buffer.hasRemaining()) {
            int expected;
            try {
                expected = loop.decoder().bytesNeeded(buffer);
            } catch (ProtocolException e) {
                expected = FrameHeader.LENGTH;
            }
            loop.room().fault(member, new TruncatedFrameException(buffer.remaining(), expected));
        } else {
            loop.room().leave(member, "");
        }
        stopReading();
    }

    /** Stops reading from this client and gives its outbox the grace period to be written out. */
    private void stopReading() {
        if (phase != Phase.READING) {
            return; // already closed: the room may drop a client while handling that client's own frame
        }
        phase = Phase.DRAINING;
        readBuffer = null;
        phaseDeadline = loop.now() + loop.options().grace().toNanos();
        loop.scheduleSweep(phaseDeadline);
        updateInterest();
    }

    /** After our last frame: reads and throws away what the client still sends, until it closes. */
    private void discardInput() {
        try {
            // One read per turn, like any other: a client that keeps sending must not hold the loop.
            if (channel.read(loop.discardBuffer()) < 0) {
                close();
            }
        } catch (IOException e) {
            close();
        }
    }

    // ---- writing -------------------------------------------------------------------------------

    /** The outbox's {@code onReady}: frames arrived in an empty outbox, or it was closed. */
    private void onOutboxReady() {
        // While OP_WRITE is registered, the next writable event takes everything anyway.
        if (!flushQueued && !waitingForWritable && phase != Phase.CLOSED) {
            flushQueued = true;
            loop.queueFlush(this);
        }
    }

    void onWritable() {
        flush();
    }

    /** Writes what the outbox holds, as far as the socket takes it, without waiting. */
    void flush() {
        flushQueued = false;
        if (phase == Phase.CLOSED || phase == Phase.LINGERING) {
            return;
        }
        if (phase == Phase.READING && member != null && !member.isPresent()) {
            stopReading(); // left by someone else's doing: a server shutdown
        }
        boolean allWritten;
        try {
            takeQueuedFrames();
            allWritten = loop.writes() == WriteStrategy.COALESCED ? writeGathered() : writeEachFrame();
        } catch (IOException e) {
            lost(e);
            return;
        }
        waitingForWritable = !allWritten;
        updateInterest();
        if (allWritten && outbox.isDrained()) {
            finishOutput();
        }
    }

    private void takeQueuedFrames() {
        List<Frame> frames = outbox.poll();
        if (frames.isEmpty()) {
            return;
        }
        int waiting = pendingEnd - pendingStart;
        if (pendingEnd + frames.size() > pending.length) {
            ByteBuffer[] target = waiting + frames.size() > pending.length
                    ? new ByteBuffer[Math.max(2 * pending.length, waiting + frames.size())]
                    : pending;
            System.arraycopy(pending, pendingStart, target, 0, waiting);
            Arrays.fill(target, waiting, pendingEnd, null);
            pending = target;
            pendingStart = 0;
            pendingEnd = waiting;
        }
        for (Frame frame : frames) {
            pending[pendingEnd++] = frame.buffer();
        }
    }

    /** One gathering write for everything pending; returns whether all of it went out. */
    private boolean writeGathered() throws IOException {
        while (pendingStart < pendingEnd) {
            int count = Math.min(pendingEnd - pendingStart, MAX_GATHER);
            loop.countWrite();
            // Takes what fits in the socket's send buffer, possibly nothing, possibly half a frame.
            outbox.written(channel.write(pending, pendingStart, count));
            int sliceEnd = pendingStart + count;
            while (pendingStart < sliceEnd && !pending[pendingStart].hasRemaining()) {
                pending[pendingStart++] = null;
            }
            if (pendingStart < sliceEnd) {
                return false; // The send buffer is full; OP_WRITE says when it has room again.
            }
        }
        allPendingWritten();
        return true;
    }

    /** {@link WriteStrategy#ONE_WRITE_PER_FRAME}: a write call for every frame. */
    private boolean writeEachFrame() throws IOException {
        while (pendingStart < pendingEnd) {
            ByteBuffer frame = pending[pendingStart];
            loop.countWrite();
            outbox.written(channel.write(frame));
            if (frame.hasRemaining()) {
                return false;
            }
            pending[pendingStart++] = null;
        }
        allPendingWritten();
        return true;
    }

    private void allPendingWritten() {
        pendingStart = 0;
        pendingEnd = 0;
        if (pending.length > MAX_GATHER) {
            pending = new ByteBuffer[8]; // after a rare pile-up, give the memory back
        }
    }

    /**
     * Everything is written and the outbox is closed: end the output and linger. Closing at once with
     * unread input would send a reset, which can destroy frames still on their way, such as the
     * {@code !error} that explains the close.
     */
    private void finishOutput() {
        if (inputEnded) {
            close(); // The client has closed its side already: nothing is left to read.
            return;
        }
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            close();
            return;
        }
        phase = Phase.LINGERING;
        pending = null;
        phaseDeadline = loop.now() + LINGER_NANOS;
        loop.scheduleSweep(phaseDeadline);
        updateInterest();
    }

    private void updateInterest() {
        if (phase == Phase.CLOSED) {
            return;
        }
        int ops = (phase == Phase.DRAINING ? 0 : SelectionKey.OP_READ)
                | (waitingForWritable ? SelectionKey.OP_WRITE : 0);
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    // ---- time ----------------------------------------------------------------------------------

    /** When this connection must be closed if nothing happens before, in the loop's clock. */
    long deadline() {
        return switch (phase) {
            case READING -> frameStartedAt != SelectorLoop.NEVER
                    ? frameStartedAt + loop.options().frameTimeout().toNanos()
                    : lastByteAt + loop.options().idleTimeout().toNanos();
            case DRAINING, LINGERING -> phaseDeadline;
            case CLOSED -> SelectorLoop.NEVER;
        };
    }

    /** The deadline passed. */
    void expire() {
        switch (phase) {
            case READING -> {
                loop.room().fault(member, frameStartedAt != SelectorLoop.NEVER
                        ? new FrameTimeoutException() : new IdleTimeoutException());
                stopReading();
            }
            // The client did not take its last frames within the grace period.
            case DRAINING -> close();
            case LINGERING -> close();
            case CLOSED -> { }
        }
    }

    // ---- closing -------------------------------------------------------------------------------

    /** The connection broke (reset, broken pipe): it leaves, and there is nobody left to write to. */
    private void lost(IOException e) {
        if (member != null) {
            loop.room().leave(member, "connection lost: " + e.getMessage());
        }
        close();
    }

    /** The loop failed while serving this client: it leaves, and the connection closes now. */
    void fail(String reason) {
        if (member != null) {
            loop.room().leave(member, reason);
        }
        close();
    }

    /**
     * Closes now, discarding anything not yet written: the end of every path, and the outbox's
     * {@code onAbort} when the room drops this client as too slow.
     */
    void close() {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        readBuffer = null;
        pending = null;
        key.cancel();
        Sockets.closeQuietly(channel);
        outbox.abort(); // discards what is left, if anything; does nothing once already aborted
        loop.forget(this);
    }

    @Override
    public String toString() {
        return member != null ? member.toString() : peer;
    }
}

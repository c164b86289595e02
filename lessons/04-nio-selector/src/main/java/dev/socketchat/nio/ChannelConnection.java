package dev.socketchat.nio;

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
import dev.socketchat.server.ServerOptions;
import dev.socketchat.server.Sockets;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Optional;

import static dev.socketchat.server.Deadlines.NEVER;

/**
 * One client on the event loop: everything a thread kept on its stack in lesson 02 (how much of a
 * frame has arrived, how much of a write went out, when the client was last heard from) is kept here
 * in fields, because the loop leaves a connection after every step and comes back when the selector
 * says it can go on.
 *
 * <h2>Reading</h2>
 * A non-blocking read returns whatever has arrived: half a header, or twenty frames and the start of
 * the next one. Most reads end on a frame boundary, so the connection reads into the loop's one
 * scratch buffer, and {@link FrameDecoder} takes out every whole frame there. Only the start of an
 * unfinished frame is copied into a buffer of the connection's own, which the next reads fill until
 * the frame is whole; it grows by doubling as that frame's bytes arrive (never to what its header
 * merely announces), and is let go once the frame is done. So an idle client holds no read buffer at
 * all: ten thousand idle clients cost ten thousand sockets, not ten thousand buffers.
 *
 * <h2>Writing</h2>
 * The room puts frames into a {@link BoundedOutbox}; its {@code onReady} callback has the loop write
 * them at the end of the turn. The connection then moves every queued frame into its
 * {@link PendingWrites} and writes them all with one gathering write. Only if the socket does not take
 * everything does the connection ask the selector for {@code OP_WRITE}; it drops that interest as
 * soon as everything is written, or the selector would report the writable socket every turn.
 *
 * <h2>Phases</h2>
 * <table>
 *   <caption>phase × event → action</caption>
 *   <tr><th>phase</th><th>readable</th><th>frames queued / writable</th><th>deadline passed</th>
 *       <th>other</th></tr>
 *   <tr><td>READING</td><td>read, decode, hand whole frames to the room; EOF → leave (or truncated
 *       frame fault) → DRAINING</td><td>write what the socket takes</td><td>idle or frame timeout:
 *       {@code !error} → DRAINING</td><td>bad frame, {@code !Disconnect}, shutdown → DRAINING</td></tr>
 *   <tr><td>DRAINING</td><td>(not read)</td><td>write; outbox closed and all written →
 *       shut down output → LINGERING (or CLOSED if the client closed its side)</td>
 *       <td>grace period over → CLOSED</td><td></td></tr>
 *   <tr><td>LINGERING</td><td>read and discard; EOF → CLOSED</td><td>(nothing left)</td>
 *       <td>linger over → CLOSED</td><td></td></tr>
 *   <tr><td>any</td><td colspan="3">reset or broken pipe → leave → CLOSED</td>
 *       <td>dropped as too slow → CLOSED</td></tr>
 * </table>
 * Each phase has one deadline: idle or frame timeout while READING, the grace period while DRAINING,
 * one second while LINGERING (closing at once with unread input would send a reset, which can destroy
 * the last frames on their way).
 *
 * <p>The connection receives at construction what it needs (room, options, decoder, a scratch buffer);
 * it calls back into its {@link ConnectionLoop} only for the loop's own business: the turn's time, when
 * to sweep deadlines, writing at the end of the turn, and forgetting a closed connection.
 * Used by the loop's thread only.
 */
final class ChannelConnection {

    private enum Phase { READING, DRAINING, LINGERING, CLOSED }

    /**
     * The size of the scratch buffer a loop lends its connections (a constructor argument): the
     * most one read takes between frames. One per loop, so it can be larger than a buffer per client.
     */
    static final int SCRATCH_BUFFER = 8192;

    /** The first size of a buffer for an unfinished frame: a chat line fits, a longer frame grows it. */
    static final int UNFINISHED_FRAME_BUFFER = 4096;

    private final ConnectionLoop loop;
    private final ChatRoom room;
    private final ServerOptions options;
    private final FrameDecoder decoder;
    private final ByteBuffer scratch;
    private final SocketChannel channel;
    private final SelectionKey key;
    private final SocketAddress remote;
    private final String peer;
    private final BoundedOutbox outbox;

    private Phase phase = Phase.READING;
    private Member member;
    /** The start of a frame still arriving, or frames held back by the rate; {@code null} between frames, most of the time. */
    private ByteBuffer unfinished;
    private boolean inputEnded;
    private long lastByteAt;
    private long frameStartedAt = NEVER;
    private long phaseDeadline = NEVER;
    /** While the client is over its rate: when to read from it again. */
    private long pausedUntil = NEVER;

    private PendingWrites pending;
    private boolean flushQueued;
    private boolean waitingForWritable;

    /**
     * @param loop           the loop that owns this connection: its clock, its sweeps, its end-of-turn writes
     * @param decoder        the loop's decoder, used on the loop's thread only
     * @param scratch        the loop's scratch buffer, which every read between frames goes into
     * @param framesPerWrite the most frames one write call takes ({@link PendingWrites#MAX_GATHER})
     */
    ChannelConnection(ConnectionLoop loop, Selector selector, SocketChannel channel, ChatRoom room,
                      ServerOptions options, FrameDecoder decoder, ByteBuffer scratch, int framesPerWrite)
            throws IOException {
        this.loop = loop;
        this.room = room;
        this.options = options;
        this.decoder = decoder;
        this.scratch = scratch;
        this.pending = new PendingWrites(framesPerWrite);
        this.channel = channel;
        this.remote = channel.getRemoteAddress();
        this.peer = Sockets.describe(remote);
        this.outbox = new BoundedOutbox(options.outboundLimit(),
                () -> loop.onLoop(this::onOutboxReady), () -> loop.onLoop(this::close));
        this.key = channel.register(selector, SelectionKey.OP_READ, this);
    }

    /** Enters the room; a refused client (full, shutting down) gets its {@code !error} and is closed. */
    void join() {
        lastByteAt = loop.now();
        loop.scheduleSweep(deadline());
        Optional<Member> joined = room.join(outbox, remote);
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
        // Between frames the scratch buffer will do: whatever this read leaves unfinished is copied out
        // before the loop moves on to the next connection, which reads into the same buffer.
        ByteBuffer target = unfinished != null ? unfinished : scratch.clear();
        int count;
        try {
            // Returns at once with what has arrived, which may be a single byte.
            count = channel.read(target);
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
        decodeFrames(target.flip());
    }

    /**
     * Hands the whole frames in {@code buffer} to the room until the client's rate says to pause;
     * keeps what is left, whole frames included, for after the pause.
     */
    private void decodeFrames(ByteBuffer buffer) {
        try {
            boolean decodedAny = false;
            long pause = 0;
            String payload;
            while (pause == 0 && member.isPresent() && (payload = decoder.decode(buffer)) != null) {
                pause = room.receive(member, payload);
                decodedAny = true;
            }
            if (!member.isPresent()) {
                // !Disconnect, or dropped: whatever else it sent is not read any more.
                stopReading();
                return;
            }
            keepUnfinishedFrame(buffer, decodedAny);
            if (pause > 0) {
                pauseReading(pause);
            }
        } catch (ProtocolException e) {
            room.fault(member, e);
            stopReading();
        }
    }

    /**
     * Keeps what is left of {@code buffer} after the frames handed to the room (the start of an
     * unfinished frame, or whole frames held back by the client's rate) in the connection's own
     * buffer, with room for the rest of the first frame; or lets that buffer go.
     */
    private void keepUnfinishedFrame(ByteBuffer buffer, boolean decodedAny) throws ProtocolException {
        if (!buffer.hasRemaining()) {
            frameStartedAt = NEVER;
            unfinished = null; // between frames again: nothing to keep
            return;
        }
        if (decodedAny || frameStartedAt == NEVER) {
            // The unfinished frame began in this read: its frame timeout starts now.
            frameStartedAt = loop.now();
            loop.scheduleSweep(deadline());
        }
        // Checks the header, if complete, before anything is allocated for the payload; grows the
        // buffer with what has arrived, never to what the header announced.
        if (buffer != unfinished) {
            // What is left is normally less than one frame; the max keeps it safe should it ever be more.
            int capacity = Math.max(buffer.remaining(), decoder.capacityFor(buffer, UNFINISHED_FRAME_BUFFER));
            unfinished = ByteBuffer.allocate(capacity).put(buffer);
            return;
        }
        int capacity = decoder.capacityFor(buffer, buffer.capacity());
        if (capacity > buffer.capacity()) {
            unfinished = ByteBuffer.allocate(capacity).put(buffer);
        } else {
            buffer.compact();
        }
    }

    /**
     * Over its rate: the selector stops reporting this client's input until the pause is over, so
     * what it sends waits in its socket and TCP holds the sender back. The sweep resumes it, and the
     * frames that came in the same read as the last one paid for are handed over first.
     */
    private void pauseReading(long pause) {
        pausedUntil = loop.now() + pause;
        loop.scheduleSweep(pausedUntil);
        updateInterest();
    }

    private void resumeReading() {
        pausedUntil = NEVER;
        // The time spent paused was the server's doing: the idle and frame timeouts count from now.
        lastByteAt = loop.now();
        if (frameStartedAt != NEVER) {
            frameStartedAt = lastByteAt;
        }
        if (unfinished != null) {
            decodeFrames(unfinished.flip()); // the frames that arrived with the one that spent the last token
        }
        if (phase == Phase.READING) {
            loop.scheduleSweep(deadline());
            updateInterest();
        }
    }

    private void endOfInput() {
        inputEnded = true;
        if (unfinished != null) { // the client closed in the middle of a frame
            ByteBuffer buffer = unfinished.flip();
            int expected;
            try {
                expected = decoder.bytesNeeded(buffer);
            } catch (ProtocolException e) {
                expected = FrameHeader.LENGTH;
            }
            room.fault(member, new TruncatedFrameException(buffer.remaining(), expected));
        } else {
            room.leave(member, "");
        }
        stopReading();
    }

    /** Stops reading from this client and gives its outbox the grace period to be written out. */
    private void stopReading() {
        if (phase != Phase.READING) {
            return; // already closed: the room may drop a client while handling that client's own frame
        }
        phase = Phase.DRAINING;
        unfinished = null;
        phaseDeadline = loop.now() + options.grace().toNanos();
        loop.scheduleSweep(phaseDeadline);
        updateInterest();
    }

    /** After our last frame: reads and throws away what the client still sends, until it closes. */
    private void discardInput() {
        try {
            // One read per turn, like any other: a client that keeps sending must not hold the loop.
            if (channel.read(scratch.clear()) < 0) {
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
            pending.add(outbox.poll());
            allWritten = pending.writeTo(channel, outbox);
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
        phaseDeadline = loop.now() + Sockets.LINGER.toNanos();
        loop.scheduleSweep(phaseDeadline);
        updateInterest();
    }

    private void updateInterest() {
        if (phase == Phase.CLOSED) {
            return;
        }
        boolean reading = phase == Phase.LINGERING || (phase == Phase.READING && pausedUntil == NEVER);
        int ops = (reading ? SelectionKey.OP_READ : 0)
                | (waitingForWritable ? SelectionKey.OP_WRITE : 0);
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    // ---- time ----------------------------------------------------------------------------------

    /** When this connection must be closed if nothing happens before, in the loop's clock. */
    long deadline() {
        return switch (phase) {
            case READING -> pausedUntil != NEVER ? pausedUntil
                    : frameStartedAt != NEVER
                    ? frameStartedAt + options.frameTimeout().toNanos()
                    : lastByteAt + options.idleTimeout().toNanos();
            case DRAINING, LINGERING -> phaseDeadline;
            case CLOSED -> NEVER;
        };
    }

    /** The deadline passed. */
    void expire() {
        switch (phase) {
            case READING -> {
                if (pausedUntil != NEVER) {
                    resumeReading();
                    return;
                }
                room.fault(member, frameStartedAt != NEVER
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
            room.leave(member, "connection lost: " + e.getMessage());
        }
        close();
    }

    /** The loop failed while serving this client: it leaves, and the connection closes now. */
    void fail(String reason) {
        if (member != null) {
            room.leave(member, reason);
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
        unfinished = null;
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

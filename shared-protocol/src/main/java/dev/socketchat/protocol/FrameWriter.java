package dev.socketchat.protocol;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes frames to a blocking stream. Frames written together leave together: {@link #flush()}
 * gathers the frames written since the last flush into one array of at most {@value #GATHER_LIMIT}
 * bytes and sends it in one system call; a lone frame goes out as it is, without a copy.
 *
 * <p>It holds no buffer between flushes, unlike a {@code BufferedOutputStream}, whose 8 KiB stay
 * with a connection for its whole life: a server with 10,000 idle blocking connections would keep
 * 80 MiB of empty buffers. The gathering array lives only for one flush.
 *
 * <p>A blocking write has no timeout: it waits as long as the peer does not read. A server must
 * therefore never write to one client on a thread that others depend on (see {@code BoundedOutbox}).
 *
 * <p>Not thread-safe: one thread writes a connection.
 */
public final class FrameWriter implements Flushable, Closeable {

    /** The most bytes gathered into one write: larger batches leave in several. */
    static final int GATHER_LIMIT = 64 * 1024;

    private final OutputStream out;
    private final List<Frame> pending = new ArrayList<>();
    private int pendingBytes;

    public FrameWriter(OutputStream out) {
        this.out = out;
    }

    /**
     * A writer for a socket, with Nagle's algorithm switched off. This writer already sends what is
     * queued in one write per flush; Nagle's algorithm would only hold a small write back until the
     * previous one is acknowledged, and a delayed acknowledgement can take up to 40 ms on Linux.
     */
    public static FrameWriter of(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        return new FrameWriter(socket.getOutputStream());
    }

    /** Writes one frame and flushes it. */
    public void send(Frame frame) throws IOException {
        write(frame);
        flush();
    }

    /** Encodes and sends one payload. */
    public void send(String payload) throws IOException {
        send(Frame.of(payload));
    }

    /** Writes every frame, then flushes once: frames queued together leave together. */
    public void sendAll(List<Frame> frames) throws IOException {
        for (Frame frame : frames) {
            write(frame);
        }
        flush();
    }

    /** Queues one frame without sending it; {@link #flush()} sends it. */
    public void write(Frame frame) {
        pending.add(frame);
        pendingBytes += frame.wireLength();
    }

    /** Sends every frame written since the last flush, gathered into as few writes as the limit allows. */
    @Override
    public void flush() throws IOException {
        try {
            if (pending.size() == 1) {
                pending.getFirst().writeTo(out);
            } else if (!pending.isEmpty()) {
                gatherAndWrite();
            }
        } finally {
            pending.clear();
            pendingBytes = 0;
        }
        out.flush();
    }

    private void gatherAndWrite() throws IOException {
        byte[] gathered = new byte[Math.min(pendingBytes, GATHER_LIMIT)];
        int filled = 0;
        for (Frame frame : pending) {
            int length = frame.wireLength();
            if (length > gathered.length - filled && filled > 0) {
                out.write(gathered, 0, filled);
                filled = 0;
            }
            if (length >= gathered.length) {
                frame.writeTo(out); // a frame as large as the limit leaves by itself, uncopied
            } else {
                frame.buffer().get(gathered, filled, length);
                filled += length;
            }
        }
        if (filled > 0) {
            out.write(gathered, 0, filled);
        }
    }

    @Override
    public void close() throws IOException {
        flush();
        out.close();
    }
}

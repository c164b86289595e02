package dev.socketchat.protocol;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;

/**
 * Writes frames to a blocking stream. Writes go through a buffer so that several small frames
 * leave in one system call; {@link #flush()} pushes them out.
 *
 * <p>A blocking write has no timeout: it waits as long as the peer does not read. A server must
 * therefore never write to one client on a thread that others depend on (see {@code BoundedOutbox}).
 *
 * <p>Not thread-safe: one thread writes a connection.
 */
public final class FrameWriter implements Flushable, Closeable {

    private final OutputStream out;

    public FrameWriter(OutputStream out) {
        this.out = new BufferedOutputStream(out, 8192);
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

    /** Buffers one frame without flushing. */
    public void write(Frame frame) throws IOException {
        frame.writeTo(out);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}

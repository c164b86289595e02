package dev.socketchat.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A buffered input stream that holds its buffer only while a burst of input is being read, so that
 * a connection waiting for its next frame holds no buffer at all.
 *
 * <p>A {@link java.io.BufferedInputStream} keeps its 8 KiB for the whole life of a connection. A
 * server with 10,000 mostly idle blocking connections holds 80 MiB of buffers that are empty nearly
 * all the time. This stream decides at each refill, from what the socket already holds
 * ({@link InputStream#available()}, which never blocks):
 * <pre>
 *   buffer not empty            serve from it; drop it once it is drained
 *   nothing waiting             block reading straight into the caller's array: no buffer held
 *                               while the connection is idle
 *   bytes waiting, small read   fill a new buffer with the burst and serve from it: several
 *                               frames in one system call, as a BufferedInputStream would
 * </pre>
 *
 * <p>The cost is one extra {@code available()} call per refill, and a short-lived buffer per burst,
 * which a young-generation collection reclaims almost for free.
 *
 * <p>Not thread-safe: one thread reads a connection.
 */
final class BurstBufferedInputStream extends InputStream {

    private final InputStream in;
    private final int size;
    private byte[] buffer;
    private int position;
    private int count;

    /**
     * @param in   the stream to read, typically a socket's
     * @param size the buffer's size while a burst is read
     */
    BurstBufferedInputStream(InputStream in, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1: " + size);
        }
        this.in = Objects.requireNonNull(in);
        this.size = size;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, target.length);
        if (length == 0) {
            return 0;
        }
        if (buffer == null) {
            if (length >= size || in.available() == 0) {
                // Blocks until the peer sends something, holding no buffer meanwhile.
                return in.read(target, offset, length);
            }
            byte[] fresh = new byte[size];
            int n = in.read(fresh, 0, size); // bytes are waiting: returns at once
            if (n <= 0) {
                return n;
            }
            buffer = fresh;
            position = 0;
            count = n;
        }
        int n = Math.min(length, count - position);
        System.arraycopy(buffer, position, target, offset, n);
        position += n;
        if (position == count) {
            buffer = null; // drained: an idle connection keeps nothing
        }
        return n;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int available() throws IOException {
        return (buffer == null ? 0 : count - position) + in.available();
    }

    @Override
    public void close() throws IOException {
        buffer = null;
        in.close();
    }
}

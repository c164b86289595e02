package dev.socketchat.protocol;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * Returns at most a few bytes per read, the way a socket may: a read returns what has arrived,
 * not what was asked for.
 */
final class ChunkedInputStream extends InputStream {

    private final ByteArrayInputStream in;
    private final RandomGenerator random;
    private final int maxChunk;

    /** Every read returns between 1 and {@code maxChunk} bytes, chosen by {@code random}. */
    ChunkedInputStream(byte[] bytes, RandomGenerator random, int maxChunk) {
        this.in = new ByteArrayInputStream(bytes);
        this.random = random;
        this.maxChunk = maxChunk;
    }

    /** Every read returns exactly one byte. */
    static ChunkedInputStream oneByteAtATime(byte[] bytes) {
        return new ChunkedInputStream(bytes, new Random(0), 1);
    }

    @Override
    public int read() throws IOException {
        return in.read();
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int chunk = maxChunk == 1 ? 1 : 1 + random.nextInt(maxChunk);
        return in.read(target, offset, Math.min(length, chunk));
    }
}

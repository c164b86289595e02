package dev.socketchat.contract;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A lock across the JVMs in which failsafe runs two test classes side by side: taken for its whole
 * run by each class that needs the machine to itself, because it holds a server to a clock
 * ({@link TimedContractIT}) or floods one to its limits ({@link ExhaustionIT}). The others, mostly
 * waiting on sockets, run beside either; those two never run at once.
 *
 * <p>The lock file is in this module's {@code target} directory, found from where the test classes
 * are, so that builds of other checkouts on the same machine do not wait for this one.
 */
final class MachineLock {

    private static FileChannel channel;
    private static FileLock lock;

    private MachineLock() {
    }

    /** Blocks until no other JVM of this build holds the lock, then holds it. */
    static synchronized void acquire() throws IOException {
        channel = FileChannel.open(file(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lock = channel.lock();
    }

    static synchronized void release() throws IOException {
        if (channel != null) {
            lock.release();
            channel.close();
            channel = null;
        }
    }

    private static Path file() throws IOException {
        try {
            Path testClasses = Path.of(MachineLock.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return testClasses.resolveSibling("machine.lock");
        } catch (URISyntaxException e) {
            throw new IOException("cannot tell where the test classes are", e);
        }
    }
}

package dev.socketchat.contract;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A lock across the JVMs in which failsafe runs test classes side by side, held for one check at a
 * time by each check that needs the machine to itself: one that holds a server to a tight clock
 * (a {@linkplain Behaviour#runAlone() behaviour} such as a shutdown within its grace period), or one that
 * floods a server and would eat those margins ({@link ExhaustionIT}, one model at a time). Held per
 * check rather than per class, so that everything that mostly waits on sockets runs beside those
 * checks, and two of them never run at once.
 *
 * <p>The lock file is in this module's {@code target} directory, found from where the test classes
 * are, so that builds of other checkouts on the same machine do not wait for this one.
 */
final class MachineLock {

    private MachineLock() {
    }

    /** Work done while holding the lock. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    /** Waits until no other JVM of this build holds the lock, then does {@code work} holding it. */
    static void holding(Work work) throws Exception {
        try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = channel.lock();
            try {
                work.run();
            } finally {
                lock.release();
            }
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

package dev.socketchat.nio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The system calls one thread of this JVM has made, as Linux counts them in
 * {@code /proc/self/task/TID/io}, found by the thread's name: lets a test see what the server's loop
 * does from outside the server, with no counter of the server's own. Linux only, like the project's
 * benchmarks.
 */
final class ThreadIo {

    private final Path io;

    private ThreadIo(Path io) {
        this.io = io;
    }

    /** The one live thread named {@code name} (at most 15 characters, the kernel's limit). */
    static ThreadIo of(String name) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            List<Path> named = tasks.filter(task -> name.equals(comm(task))).toList();
            if (named.size() != 1) {
                throw new IllegalStateException(named.size() + " threads named " + name + ", expected one");
            }
            return new ThreadIo(named.getFirst().resolve("io"));
        }
    }

    /** Write-type calls so far ({@code syscw}: write, writev, sendto and the like). */
    long writeCalls() throws IOException {
        for (String line : Files.readAllLines(io)) {
            if (line.startsWith("syscw:")) {
                return Long.parseLong(line.substring("syscw:".length()).strip());
            }
        }
        throw new IllegalStateException("no syscw in " + io);
    }

    private static String comm(Path task) {
        try {
            return Files.readString(task.resolve("comm")).strip();
        } catch (IOException e) {
            return ""; // the thread ended meanwhile
        }
    }
}

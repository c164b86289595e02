package dev.socketchat.multireactor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which selector watches which connection, read from the kernel rather than from the server: on
 * Linux a {@code Selector} is an epoll instance, {@code /proc/self/fdinfo/FD} lists the descriptors
 * in its interest set with their inodes, and {@code /proc/net/tcp[6]} gives each TCP socket's inode
 * and ports. Linux only, like the project's benchmarks.
 */
final class Selectors {

    private static final String EPOLL = "anon_inode:[eventpoll]";
    private static final String LISTEN = "0A";

    private Selectors() {
    }

    /**
     * For every selector of this JVM that watches at least one connection accepted on
     * {@code serverPort}, how many it watches; in no particular order.
     */
    static List<Integer> watching(int serverPort) throws IOException {
        Set<Long> accepted = acceptedSockets(serverPort);
        List<Integer> counts = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                int count = 0;
                for (long inode : epollTargets(fd)) {
                    if (accepted.contains(inode)) {
                        count++;
                    }
                }
                if (count > 0) {
                    counts.add(count);
                }
            }
        }
        return counts;
    }

    /** The inodes of the descriptors the epoll instance {@code fd} watches; none if it is not one. */
    private static List<Long> epollTargets(Path fd) {
        try {
            if (!Files.readSymbolicLink(fd).toString().equals(EPOLL)) {
                return List.of();
            }
            List<Long> inodes = new ArrayList<>();
            // "tfd:        7 events:       19 data:                7  pos:0 ino:1a2b sdev:9"
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo", fd.getFileName().toString()))) {
                int ino = line.indexOf(" ino:");
                if (line.startsWith("tfd:") && ino >= 0) {
                    String hex = line.substring(ino + " ino:".length()).split("\\s+")[0];
                    inodes.add(Long.parseLong(hex, 16));
                }
            }
            return inodes;
        } catch (IOException e) {
            return List.of(); // closed while we looked
        }
    }

    /** The inodes of the TCP sockets, not listening, whose local port is {@code port}. */
    private static Set<Long> acceptedSockets(int port) throws IOException {
        Set<Long> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ..."
            List<String> lines = Files.readAllLines(path);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.strip().split("\\s+");
                String local = fields[1];
                int localPort = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16);
                if (localPort == port && !fields[3].equals(LISTEN)) {
                    inodes.add(Long.parseLong(fields[9]));
                }
            }
        }
        return inodes;
    }
}

package dev.socketchat.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.junit.jupiter.api.Assumptions.abort;

/**
 * How many connections a server on a given port holds open right now, as the kernel sees it: every
 * TCP socket whose local port is the server's, except the listening one and those the process has
 * already closed (the kernel keeps those a while, orphaned, with no file behind them). It counts
 * exactly the descriptors the server spends on connections, whatever the model, in this JVM or in
 * another, without asking the server.
 *
 * <p>Linux only: it reads {@code /proc/net/tcp} and {@code /proc/net/tcp6}; elsewhere a check that
 * needs it is skipped with the reason.
 */
final class HeldConnections {

    private static final Path[] TABLES = {Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6")};
    private static final String LISTEN = "0A";

    private final String localPortHex;

    private HeldConnections(int port) {
        this.localPortHex = String.format(Locale.ROOT, "%04X", port);
    }

    /** Counts for the server listening on {@code port}; skips the calling test where the kernel does not say. */
    static HeldConnections onPort(int port) {
        if (!Files.isReadable(TABLES[0])) {
            return abort("counting a server's connections needs Linux's /proc/net/tcp");
        }
        return new HeldConnections(port);
    }

    /**
     * The number of connections held at one instant: those listed by two reads in a row.
     *
     * <p>The kernel writes these tables a page at a time, not as one snapshot. While a flood is
     * refused, one read can list a socket the server closed after its page was read and, on a later
     * page, one it accepted after that: two that were never open together, counted as if they were
     * (the likely cause, not proven, of one contract run that saw the budget exceeded by one). A
     * socket listed by both reads was open from the end of the first to the start of the second, so
     * all of them were open at that instant; a connection really held beyond the budget stays open
     * and is in both.
     */
    int now() {
        Set<String> held = inodes();
        held.retainAll(inodes());
        return held.size();
    }

    /** The inodes of the server's connections listed by one read of the tables. */
    private Set<String> inodes() {
        // While connections come and go, a socket can be listed twice in one read; each open socket
        // has its own inode.
        Set<String> held = new HashSet<>();
        for (Path table : TABLES) {
            if (!Files.isReadable(table)) {
                continue;
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(table);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.strip().split("\\s+");
                String localPort = fields[1].substring(fields[1].indexOf(':') + 1);
                boolean closedByProcess = fields[9].equals("0");
                if (localPort.equals(localPortHex) && !fields[3].equals(LISTEN) && !closedByProcess) {
                    held.add(fields[9]);
                }
            }
        }
        return held;
    }
}

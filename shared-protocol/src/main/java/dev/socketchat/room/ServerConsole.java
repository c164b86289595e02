package dev.socketchat.room;

import dev.socketchat.protocol.VisibleText;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's console (docs/protocol.md §9): like the original Python server, it prints every
 * connection, disconnection and relayed message; in quiet mode only start, stop and errors.
 *
 * <p>This is the one place where servers print to standard output, because printing is the
 * feature. Diagnostics for developers go through {@link System.Logger} instead.
 *
 * <p>Because every join and every leave passes through here, the console also counts the clients
 * in the room ({@link #clients()}), whatever the model: {@code chat server --stats} reads it.
 *
 * <p>Whatever a client chose (a message's text, and the reasons that quote it) is printed through
 * {@link VisibleText}, so that one event is always one line and nothing a client sends can forge a
 * line of the server's own or act on the operator's terminal.
 */
public final class ServerConsole {

    private final PrintStream out;
    private final boolean quiet;
    private final String statusPrefix;
    private final AtomicInteger clients = new AtomicInteger();
    // Counted on the relaying path, read by the stats thread now and then: cheap to add to, slower to read.
    private final LongAdder messages = new LongAdder();

    public ServerConsole(PrintStream out, boolean quiet) {
        this(out, quiet, "");
    }

    /**
     * A console whose start and stop lines name the model, so that the operator sees which server
     * runs: {@code [server] thread-per-client listening on 127.0.0.1:5050}.
     *
     * @param model the model's name; empty for none
     */
    public ServerConsole(PrintStream out, boolean quiet, String model) {
        this.out = out;
        this.quiet = quiet;
        this.statusPrefix = model.isEmpty() ? "[server] " : "[server] " + model + " ";
    }

    /** Prints to standard output. */
    public static ServerConsole standard(boolean quiet) {
        return new ServerConsole(System.out, quiet);
    }

    /** A console that prints nothing at all, for tests and benchmarks. */
    public static ServerConsole silent() {
        return new ServerConsole(new PrintStream(PrintStream.nullOutputStream()), true);
    }

    /** Start and stop lines: always printed. */
    public void status(String line) {
        out.println(statusPrefix + line);
    }

    /** A fault the operator should see: always printed. */
    public void error(String line) {
        out.println("[error] " + VisibleText.of(line));
    }

    public void connected(Member member) {
        clients.incrementAndGet();
        if (!quiet) {
            out.println("[+] " + member.name() + " connected from " + member.peer());
        }
    }

    public void disconnected(String name, String reason) {
        clients.decrementAndGet();
        if (!quiet) {
            out.println("[-] " + name + " disconnected" + (reason.isEmpty() ? "" : " (" + VisibleText.of(reason) + ")"));
        }
    }

    public void refused(String peer, String reason) {
        if (!quiet) {
            out.println("[!] refused " + peer + ": " + reason);
        }
    }

    public void message(String name, String text) {
        messages.increment();
        if (!quiet) {
            out.println("[" + name + "] " + VisibleText.of(text));
        }
    }

    public void renamed(String oldName, String newName) {
        if (!quiet) {
            out.println("[~] " + oldName + " is now " + newName);
        }
    }

    /** Chat messages relayed so far, as this console was told: what {@code --stats} counts costs per. */
    public long messages() {
        return messages.sum();
    }

    /** Clients that joined the room and have not left it yet, as this console was told. */
    public int clients() {
        return clients.get();
    }
}

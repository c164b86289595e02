package dev.socketchat.bench;

import dev.socketchat.load.HeapAllocation;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerModel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The server under test, in a process of its own: {@code ServerMain <workload> <variant> <clients>}.
 *
 * <p>Every variant is started this same way, so the only difference between two runs is the model.
 * A process of its own keeps the load generator's threads, heap and garbage collector out of the
 * server's numbers, and gives the capacity benchmark a {@code /proc/<pid>} that holds the server
 * alone.
 *
 * <p>Protocol with the parent ({@link ServerProcess}): once listening, the process prints
 * {@code listening <port>} on standard output. To the line {@value #ALLOCATED_QUERY} on standard
 * input it answers {@code allocated <bytes>}: the bytes its JVM has allocated on the heap so far,
 * every thread's, ended ones included, by the JVM's own count. It stops gracefully when its standard
 * input reaches end of stream, which also happens when the parent dies, so a server never outlives
 * its benchmark.
 */
public final class ServerMain {

    /** The line the parent waits for, followed by the port; every server main prints it. */
    public static final String READY = "listening ";
    /** The question the parent asks on standard input; the answer is this word, a space and the bytes. */
    public static final String ALLOCATED_QUERY = "allocated";

    private ServerMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: ServerMain <workload> <variant> <clients>");
            System.exit(2);
        }
        Workload workload = Workload.valueOf(args[0]);
        ServerModel model = BenchVariants.require(args[1]);
        int clients = Integer.parseInt(args[2]);

        ChatServer server = model.create(workload.options(model, clients), ServerConsole.silent());
        server.start();
        serveParent(server);
    }

    /**
     * Says the server listens, answers the parent's questions until it closes our standard input
     * (or dies), then stops the server. Every server main ends with this.
     */
    public static void serveParent(ChatServer server) throws IOException {
        System.out.println(READY + server.address().getPort());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals(ALLOCATED_QUERY)) {
                System.out.println(ALLOCATED_QUERY + " " + allocatedBytes());
                System.out.flush();
            }
        }
        server.stop();
    }

    /** The JVM's count of heap bytes allocated by every thread so far; -1 where the JVM keeps none. */
    private static long allocatedBytes() {
        return HeapAllocation.allocatedBytes().orElse(-1);
    }
}

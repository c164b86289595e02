package dev.socketchat.bench;

import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerModel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The server under test, in a process of its own: {@code ServerMain <workload> <variant> <clients>}.
 *
 * <p>Every variant is started this same way, so the only difference between two runs is the model.
 * A process of its own keeps the load generator's threads, heap and garbage collector out of the
 * server's numbers, and gives the capacity benchmark a {@code /proc/<pid>} that holds the server
 * alone.
 *
 * <p>Protocol with the parent ({@link ServerProcess}): once listening, the process prints
 * {@code listening <port>} on standard output. A line {@code settle <n>} on its standard input
 * waits until the room holds n clients (the leaves of clients just closed have been counted),
 * brings the JVM to a steady state ({@link SteadyState}) and prints {@value #SETTLED}. It
 * stops gracefully when its standard input reaches end of stream, which also happens when the
 * parent dies, so a server never outlives its benchmark.
 */
public final class ServerMain {

    /** The line the parent waits for, followed by the port; every server main prints it. */
    public static final String READY = "listening ";
    static final String SETTLE = "settle";
    static final String SETTLED = "settled";

    private ServerMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: ServerMain <workload> <variant> <clients>");
            System.exit(2);
        }
        Workload workload = Workload.valueOf(args[0]);
        ServerModel model = BenchVariants.require(args[1]);
        int clients = Integer.parseInt(args[2]);

        ServerConsole console = ServerConsole.silent(); // silent, but it counts the clients in the room
        ChatServer server = model.create(workload.options(model, clients), console);
        server.start();
        System.out.println(READY + server.address().getPort());
        System.out.flush();

        // Blocks until the parent closes our standard input (or dies): that is the signal to stop.
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.startsWith(SETTLE + " ")) {
                awaitClients(console, Integer.parseInt(line.substring(SETTLE.length() + 1)));
                SteadyState.reach();
                System.out.println(SETTLED);
                System.out.flush();
            }
        }
        server.stop();
    }

    /** Waits, for a minute at most, until the room holds {@code expected} clients. */
    private static void awaitClients(ServerConsole console, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (console.clients() != expected && System.nanoTime() < deadline) {
            Thread.sleep(50); // the console offers no event to wait on; it only counts
        }
    }
}

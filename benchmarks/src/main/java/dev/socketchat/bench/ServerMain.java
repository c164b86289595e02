package dev.socketchat.bench;

import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerModel;

import java.io.IOException;
import java.io.InputStream;

/**
 * The server under test, in a process of its own: {@code ServerMain <workload> <variant> <clients>}.
 *
 * <p>Every variant is started this same way, so the only difference between two runs is the model.
 * A process of its own keeps the load generator's threads, heap and garbage collector out of the
 * server's numbers, and gives the capacity benchmark a {@code /proc/<pid>} that holds the server
 * alone.
 *
 * <p>Protocol with the parent ({@link ServerProcess}): once listening, the process prints
 * {@code listening <port>} on standard output. It stops gracefully when its standard input reaches
 * end of stream, which also happens when the parent dies, so a server never outlives its
 * benchmark.
 */
public final class ServerMain {

    /** The line the parent waits for, followed by the port; every server main prints it. */
    public static final String READY = "listening ";

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
        System.out.println(READY + server.address().getPort());
        System.out.flush();

        // Blocks until the parent closes our standard input (or dies): that is the signal to stop.
        InputStream in = System.in;
        byte[] discard = new byte[256];
        while (in.read(discard) >= 0) {
            // Nothing is expected on standard input; anything that arrives is ignored.
        }
        server.stop();
    }
}

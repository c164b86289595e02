package dev.socketchat.bench.cluster;

import dev.socketchat.bench.BenchVariants;
import dev.socketchat.bench.ServerMain;
import dev.socketchat.bench.Workload;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerOptions;

import java.io.IOException;

/**
 * A server of {@code ./chat bench cluster}, in a process of its own:
 * {@code ClusterServerMain <variant> <clients> <redis://... | none>}. It runs with the fan-out
 * workload's options, joined to the cluster unless told {@code none}, and speaks
 * {@link ServerMain}'s protocol with its parent: {@code listening <port>}, then serve until standard
 * input ends.
 */
public final class ClusterServerMain {

    static final String ALONE = "none";

    private ClusterServerMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: ClusterServerMain <variant> <clients> <redis://host:port | none>");
            System.exit(2);
        }
        ServerModel model = BenchVariants.require(args[0]);
        ServerOptions options = Workload.FAN_OUT.options(model, Integer.parseInt(args[1]));
        if (!args[2].equals(ALONE)) {
            options = options.withCluster(args[2]);
        }
        ChatServer server = model.create(options, ServerConsole.silent());
        server.start();
        ServerMain.serveParent(server);
    }
}

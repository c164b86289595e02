package dev.socketchat.cluster;

import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerModels;
import dev.socketchat.server.ServerOptions;

import java.io.IOException;

/**
 * A chat server in a process of its own, for the tests that kill or pause one: takes the cluster
 * address and optionally a model's name (thread-per-client by default), prints its port on the first
 * line of standard output, then serves until its standard input ends or it is killed.
 */
public final class ClusterNode {

    private ClusterNode() {
    }

    public static void main(String[] args) throws IOException {
        String model = args.length > 1 ? args[1] : "thread-per-client";
        ChatServer server = ServerModels.named(model).orElseThrow().create(
                ServerOptions.defaults().withPort(0).withCluster(args[0]), ServerConsole.silent());
        server.start();
        System.out.println(server.address().getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // Serves until the test closes our standard input, or kills us.
        }
        server.stop();
    }
}

package dev.socketchat.cli;

import dev.socketchat.server.ServerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;

/** {@code chat client}: chat from the terminal; see {@link InteractiveClient}. */
@Command(name = "client", sortOptions = false,
        description = {"Connects to a chat server: type a line and press Enter to send it; Ctrl-D leaves.",
                "Commands: !who, !nick NAME, !ping [TOKEN], !Disconnect."})
final class ClientCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = ServerOptions.DEFAULT_HOST,
            description = "The server's address (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "5050",
            description = "The server's port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Take this name once welcomed (1 to 32 of A-Z a-z 0-9 _ -); otherwise you are guest-N.")
    private String name;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    ClientCommand(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        if (port < 1 || port > 65_535) {
            throw new ParameterException(spec.commandLine(), "--port must be between 1 and 65535, not " + port);
        }
        InteractiveClient client = new InteractiveClient(in, out, err, InteractiveClient.KEEPALIVE_INTERVAL);
        return client.run(new InetSocketAddress(host, port), name);
    }
}

package dev.socketchat.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * The {@code chat} command behind the {@code ./chat} launcher: {@code chat server} runs any lesson's
 * server, {@code chat client} chats, {@code chat models} lists the lessons' models, {@code chat load} puts many
 * clients on a server; {@code chat redis} and {@code chat cluster} run a Redis, and Redis with several servers
 * sharing one room (lesson 09).
 *
 * <p>Whatever goes wrong reaches the user as one line on the error stream: a bad option, an unknown
 * model or a port in use exits with status 2, as is usual for a usage error; a failed connection
 * exits with 1.
 */
@Command(name = "chat", synopsisSubcommandLabel = "(server | client | models | load | redis | cluster | bench | test)",
        description = "One chat protocol, many server models: run a server, chat with it, list the models, load it with clients.")
public final class ChatCommand implements Runnable {

    private static final System.Logger LOG = System.getLogger(ChatCommand.class.getName());

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    /** Runs the command and exits with its status. */
    public static void main(String[] args) {
        int status = commandLine(System.in, System.out, System.err, new SignalStop()).execute(args);
        System.exit(status);
    }

    /** The command line, with its subcommands wired to these streams and this way of stopping a server. */
    static CommandLine commandLine(InputStream in, PrintStream out, PrintStream err, StopSignal stopSignal) {
        CommandLine commandLine = new CommandLine(new ChatCommand())
                .addSubcommand(new ServerCommand(out, stopSignal))
                .addSubcommand(new ClientCommand(in, out, err))
                .addSubcommand(new ModelsCommand(out))
                .addSubcommand(new LoadCommand(out, stopSignal))
                .addSubcommand(new RedisCommand(out, stopSignal))
                .addSubcommand(new ClusterCommand(out, stopSignal))
                .addSubcommand(launcherOnly("bench", "Benchmarks the models with JMH: ./chat bench [--full] (see benchmarks/README.md).", err))
                .addSubcommand(launcherOnly("test", "Runs the contract suite against one model: ./chat test MODEL (see integration-tests/README.md).", err))
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        commandLine.setParameterExceptionHandler(ChatCommand::oneLineUsageError);
        commandLine.setExecutionExceptionHandler((e, failed, parseResult) -> {
            LOG.log(System.Logger.Level.DEBUG, "chat " + failed.getCommandName() + " failed", e);
            failed.getErr().println("chat " + failed.getCommandName() + ": " + e);
            return 1;
        });
        return commandLine;
    }

    /**
     * A command that the {@code ./chat} launcher runs from another module's jar, which has the class
     * path it needs (JMH's, say): listed here so that {@code ./chat --help} shows every command. Run
     * from this jar, it can only say where it lives.
     */
    private static CommandLine launcherOnly(String name, String description, PrintStream err) {
        Callable<Integer> elsewhere = () -> {
            err.println("chat " + name + ": the launcher runs it from its own jar: ./chat " + name);
            return 2;
        };
        CommandSpec spec = CommandSpec.wrapWithoutInspection(elsewhere).name(name);
        spec.usageMessage().description(description);
        return new CommandLine(spec);
    }

    /** {@code ./chat} alone: say what it can do. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: server, client, models, load, redis or cluster");
    }

    /**
     * Prints a usage error as one line, with where to find the options, instead of the whole help.
     * Exit status 2.
     */
    private static int oneLineUsageError(ParameterException e, String[] args) {
        CommandLine failed = e.getCommandLine();
        String command = failed.getCommandSpec().qualifiedName(" ");
        failed.getErr().println(command + ": " + e.getMessage() + " (see ./" + command + " --help)");
        return 2;
    }
}

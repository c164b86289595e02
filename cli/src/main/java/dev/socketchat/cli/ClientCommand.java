package dev.socketchat.cli;

import dev.socketchat.protocol.VisibleText;
import dev.socketchat.room.ChatRoom;
import dev.socketchat.server.ServerOptions;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;
import org.jline.utils.InfoCmp.Capability;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.Callable;

/**
 * {@code chat client}: chat from the terminal; see {@link InteractiveClient}. On a terminal (standard
 * input and output both one) it edits lines with {@link TerminalConsole}; otherwise it reads and
 * writes plain lines with {@link PlainConsole}, for scripts and pipes.
 */
@Command(name = "client", sortOptions = false,
        // One sentence a line, each short enough that the help's 80 columns never wrap it.
        description = {"Connects to a chat server. Type a line and press Enter to send it.",
                "Commands: !who, !nick NAME, !ping [TOKEN], !Disconnect. Ctrl-D leaves.",
                "On a terminal, !help lists the commands and Up/Down recall lines.",
                "Tab completes commands and names. NO_COLOR=1 turns colour off.",
                "Without a terminal: plain lines in and out, for scripts."},
        exitCodeListHeading = "%nExit status, the same with or without a terminal:%n",
        exitCodeList = {
                InteractiveClient.LEFT + ":you left (Ctrl-D, end of input, !Disconnect)",
                InteractiveClient.LOST + ":no connection, or it was lost or closed by the server after the welcome",
                CommandLine.ExitCode.USAGE + ":a bad option",
                InteractiveClient.REFUSED + ":refused: the server closed the connection without a welcome (e.g. server full)",
                InteractiveClient.SERVER_SHUT_DOWN + ":the server shut down (it said so before it closed the connection)"})
final class ClientCommand implements Callable<Integer> {

    private static final System.Logger LOG = System.getLogger(ClientCommand.class.getName());

    /** Opens the terminal to chat on, or returns null to use plain lines. */
    @FunctionalInterface
    interface TerminalOpener {
        Terminal open() throws IOException;
    }

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

    @Option(names = "--timestamps", description = "Show the time each line arrived (HH:mm:ss) in front of it.")
    private boolean timestamps;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final TerminalOpener terminals;
    private final String noColor;

    /** On the process's own standard streams, the client uses the terminal they are, if they are one. */
    ClientCommand(InputStream in, PrintStream out, PrintStream err) {
        this(in, out, err, in == System.in && out == System.out ? ClientCommand::systemTerminal : () -> null,
                System.getenv("NO_COLOR"));
    }

    /** @param noColor the value of {@code NO_COLOR}: colour is off when it is set and not empty (no-color.org) */
    ClientCommand(InputStream in, PrintStream out, PrintStream err, TerminalOpener terminals, String noColor) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.terminals = terminals;
        this.noColor = noColor;
    }

    @Override
    public Integer call() throws IOException {
        if (port < 1 || port > 65_535) {
            throw new ParameterException(spec.commandLine(), "--port must be between 1 and 65535, not " + port);
        }
        // The server would refuse it with this very reason, and leave us a guest: say it before connecting.
        if (name != null && !ChatRoom.isValidName(name)) {
            throw new ParameterException(spec.commandLine(),
                    "--name '" + VisibleText.of(name) + "': invalid name: " + ChatRoom.NAME_RULE);
        }
        Clock clock = timestamps ? Clock.systemDefaultZone() : null;
        try (Terminal terminal = terminals.open()) {
            ChatConsole console = terminal == null
                    ? new PlainConsole(in, out, new FrameStyle(false, clock))
                    : new TerminalConsole(terminal, new FrameStyle(usesColour(terminal, noColor), clock),
                            ServerOptions.DEFAULT_MAX_PAYLOAD);
            InteractiveClient client = new InteractiveClient(console, err, InteractiveClient.KEEPALIVE_INTERVAL);
            return client.run(new InetSocketAddress(host, port), name);
        }
    }

    /** Colour where the terminal has at least the eight basic colours, unless {@code NO_COLOR} says no. */
    static boolean usesColour(Terminal terminal, String noColor) {
        if (noColor != null && !noColor.isEmpty()) {
            return false;
        }
        Integer colours = terminal.getNumericCapability(Capability.max_colors);
        return colours != null && colours >= 8;
    }

    /**
     * The process's terminal when standard input and output both are one, else null. It uses JLine's
     * {@code exec} provider, which sets the terminal's mode by running {@code stty}: no native
     * library, so no JNI or FFM provider that the JDK would warn about (restricted methods, native
     * access) and nothing to extract to a temporary directory. Windows consoles get plain lines, and
     * so does a terminal whose mode {@code stty} cannot set.
     */
    static Terminal systemTerminal() {
        try {
            TerminalProvider exec = TerminalProvider.load("exec");
            if (!exec.isSystemStream(SystemStream.Input) || !exec.isSystemStream(SystemStream.Output)) {
                return null;
            }
            return TerminalBuilder.builder().system(true).provider("exec")
                    .systemOutput(TerminalBuilder.SystemOutput.SysOut).dumb(false).build();
        } catch (IOException | IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, "no line editor on this terminal: plain lines instead", e);
            return null;
        }
    }
}

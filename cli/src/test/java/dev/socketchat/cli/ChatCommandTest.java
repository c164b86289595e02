package dev.socketchat.cli;

import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerModels;
import dev.socketchat.server.ModelSetting;
import dev.socketchat.server.ServerOptions;
import dev.socketchat.server.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Parsing, usage errors and {@code chat models}: everything that needs no conversation. */
@Timeout(60) // A bad option that started a server by mistake would otherwise wait forever.
class ChatCommandTest {

    private final Terminal terminal = new Terminal();

    private int run(String... args) {
        return ChatCommand.commandLine(InputStream.nullInputStream(), terminal.out, terminal.err, new ManualStop())
                .execute(args);
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1048576, 1048576", "512KiB, 524288", "1MiB, 1048576", "4MiB, 4194304"})
    void sizesAreByteCountsOrBinaryUnits(String text, long bytes) {
        assertThat(new SizeConverter().convert(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "10s, PT10S", "300s, PT5M", "5m, PT5M"})
    void durationsAreANumberAndAUnit(String text, Duration duration) {
        assertThat(new DurationConverter().convert(text)).isEqualTo(duration);
    }

    @Test
    void theHelpListsEveryCommandTheLauncherRunsBenchAndTestIncluded() {
        assertThat(run("--help")).isZero();

        assertThat(String.join(" ", terminal.outLines())).contains("| bench |", "test)");
        for (String command : List.of("server", "client", "models", "load", "redis", "cluster", "bench", "test")) {
            assertThat(terminal.outLines()).as("the line of %s", command).anyMatch(line -> line.startsWith("  " + command + " "));
        }
    }

    @Test
    void benchRunFromThisJarSaysWhereItLivesInOneLine() {
        assertThat(run("bench")).isEqualTo(2);

        assertThat(terminal.errLines()).containsExactly("chat bench: the launcher runs it from its own jar: ./chat bench");
    }

    @Test
    void withoutOptionsTheServerTakesTheProtocolDefaults() {
        ServerCommand server = new ServerCommand(terminal.out, new ManualStop());
        new CommandLine(server).parseArgs();

        assertThat(server.options()).isEqualTo(ServerOptions.defaults());
    }

    @Test
    void everyServerOptionReachesServerOptions() {
        ServerCommand server = new ServerCommand(terminal.out, new ManualStop());
        new CommandLine(server).parseArgs("--host", "0.0.0.0", "--port", "6000", "--max-payload", "512KiB",
                "--outbound-limit", "2MiB", "--frame-timeout", "500ms", "--idle-timeout", "5m",
                "--max-clients", "3", "--grace", "0s", "--threads", "4", "--loops", "5", "--transport", "EPOLL",
                "--no-notices", "--quiet", "--cluster", "redis://127.0.0.1:6390", "--max-clients-per-address", "7",
                "--max-rate", "8/s", "--max-burst", "9");

        assertThat(server.options()).isEqualTo(new ServerOptions("0.0.0.0", 6000, 524_288, 2_097_152,
                Duration.ofMillis(500), Duration.ofMinutes(5), 3, 7, 8, 9, false, "redis://127.0.0.1:6390",
                Duration.ZERO, true, Map.of(ModelSetting.THREADS, 4, ModelSetting.LOOPS, 5,
                        ModelSetting.TRANSPORT, Transport.EPOLL)));
    }

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                arguments(List.of("server", "--model", "nope"), "unknown model 'nope'; the models are: single-threaded"),
                arguments(List.of("server", "--port", "70000"), "--port must be between 0 and 65535, not 70000"),
                arguments(List.of("server", "--port", "abc"), "'abc' is not an int"),
                arguments(List.of("server", "--max-payload", "1GB"), "'1GB' is not a size"),
                arguments(List.of("server", "--max-payload", "3000MiB"), "--max-payload must be below 2GiB"),
                arguments(List.of("server", "--max-payload", "0"), "--max-payload must be at least 1 byte"),
                arguments(List.of("server", "--model", "thread-pool", "--threads", "7"),
                        "the thread pool needs an even number of threads, at least 2"),
                arguments(List.of("server", "--model", "thread-pool", "--threads", "1"),
                        "the thread pool needs an even number of threads, at least 2"),
                arguments(List.of("server", "--transport", "kqueue"),
                        "--transport must be one of auto, io_uring, epoll, nio, not 'kqueue'"),
                arguments(List.of("server", "--loops", "-1"), "--loops must be between 0 and 1024, not -1"),
                arguments(List.of("server", "--outbound-limit", "0"), "--outbound-limit must be at least 1 byte"),
                arguments(List.of("server", "--idle-timeout", "10"), "'10' is not a duration"),
                arguments(List.of("server", "--frame-timeout", "0s"), "--frame-timeout must be longer than 0"),
                arguments(List.of("server", "--max-clients", "0"), "--max-clients must be at least 1"),
                arguments(List.of("server", "--max-clients-per-address", "0"),
                        "--max-clients-per-address must be at least 1, not 0"),
                arguments(List.of("server", "--max-rate", "20"), "'20' is not a rate: give frames a second, e.g. 20/s"),
                arguments(List.of("server", "--max-rate", "0/s"), "--max-rate must be at least 1/s, not 0/s"),
                arguments(List.of("server", "--max-burst", "0"), "--max-burst must be at least 1, not 0"),
                arguments(List.of("server", "--bogus"), "Unknown option: '--bogus'"),
                arguments(List.of("server", "--cluster", "http://127.0.0.1:6390"),
                        "--cluster must be a broker address such as redis://127.0.0.1:6379"),
                arguments(List.of("server", "--cluster", "redis:nowhere"), "--cluster must be a broker address"),
                arguments(List.of("cluster", "--servers", "0"), "--servers must be between 1 and 16, not 0"),
                arguments(List.of("cluster", "--model", "nope"), "unknown model 'nope'"),
                arguments(List.of("cluster", "--lease", "10"), "--lease must be like 500ms or 10s, not 10"),
                arguments(List.of("client", "--port", "0"), "--port must be between 1 and 65535, not 0"),
                arguments(List.of("nonsense"), "Unmatched argument at index 0: 'nonsense'"),
                arguments(List.of(), "missing command: server, client, models, load, redis or cluster"));
    }

    @ParameterizedTest
    @MethodSource("badCommandLines")
    void aBadCommandLineIsOneLineAndStatusTwo(List<String> args, String expected) {
        int status = run(args.toArray(String[]::new));

        assertThat(status).isEqualTo(2);
        assertThat(terminal.errLines()).singleElement().asString().contains(expected);
        assertThat(terminal.outLines()).isEmpty();
    }

    @Test
    void aPortInUseIsOneLineAndStatusTwo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            int status = run("server", "--port", String.valueOf(port));

            assertThat(status).isEqualTo(2);
            assertThat(terminal.errLines())
                    .containsExactly("chat server: cannot listen on 127.0.0.1:" + port + ": address already in use");
        }
    }

    /**
     * The warnings come before the server listens; the port is taken here so that no server runs
     * (and nothing listens beyond loopback), and the line after the warning says so.
     */
    static Stream<Arguments> warnings() {
        return Stream.of(
                arguments(List.of("--model", "thread-per-client", "--threads", "4"),
                        "chat server: warning: --threads is ignored: the thread-per-client model does not read it"),
                arguments(List.of("--model", "nio-selector", "--loops", "2"),
                        "chat server: warning: --loops is ignored: the nio-selector model does not read it"),
                arguments(List.of("--model", "single-threaded", "--transport", "nio"),
                        "chat server: warning: --transport is ignored: the single-threaded model does not read it"),
                arguments(List.of("--host", "0.0.0.0"),
                        "chat server: warning: listening on 0.0.0.0 reaches beyond this machine, and the chat has "
                                + "no authentication: anyone who can reach the port can join and read everything"));
    }

    @ParameterizedTest
    @MethodSource("warnings")
    void aSettingTheModelIgnoresOrAnAddressBeyondLoopbackIsOneWarningLine(List<String> args, String warning)
            throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = String.valueOf(taken.getLocalPort());
            List<String> command = new ArrayList<>(List.of("server", "--port", port));
            command.addAll(args);

            int status = run(command.toArray(String[]::new));

            assertThat(status).as("the taken port").isEqualTo(2);
            assertThat(terminal.errLines()).hasSize(2).first().isEqualTo(warning);
            assertThat(terminal.errLines().get(1)).startsWith("chat server: cannot listen on ");
        }
    }

    @Test
    void aSettingTheModelReadsIsNoWarning() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            run("server", "--port", String.valueOf(taken.getLocalPort()), "--model", "thread-pool", "--threads", "4");

            assertThat(terminal.errLines()).singleElement().asString().startsWith("chat server: cannot listen on ");
        }
    }

    @Test
    void modelsListsEveryRegisteredModelInLessonOrder() {
        List<ServerModel> models = ServerModels.all();

        int status = run("models");

        assertThat(status).isZero();
        assertThat(models).extracting(ServerModel::name).contains("single-threaded", "thread-per-client")
                .doesNotContain("naive-pool", "write-on-sender");
        assertThat(terminal.outLines()).hasSameSizeAs(models);
        for (int i = 0; i < models.size(); i++) {
            assertThat(terminal.outLines().get(i))
                    .matches(models.get(i).name() + " +" + Pattern.quote(models.get(i).summary()));
        }
    }

    @Test
    void modelsListsTheModelsBrokenOnPurposeOnlyWithAllAndMarksThem() {
        List<ServerModel> broken = ServerModels.brokenOnPurpose();
        assertThat(broken).extracting(ServerModel::name).contains("naive-pool", "write-on-sender");

        // Without --all they are left out: modelsListsEveryRegisteredModelInLessonOrder counts the lines.
        int status = run("models", "--all");

        assertThat(status).isZero();
        assertThat(terminal.outLines()).hasSize(ServerModels.registered().size());
        for (ServerModel model : broken) {
            assertThat(terminal.outLines()).anyMatch(line ->
                    line.matches(model.name() + " +\\(broken on purpose\\) " + Pattern.quote(model.summary())));
        }
    }

    @Test
    void aModelBrokenOnPurposeStartsLikeAnyOtherAfterAOneLineWarning() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            // The port in use ends the run right after the model is chosen and warned about.
            int status = run("server", "--model", "naive-pool", "--port", String.valueOf(port));

            assertThat(status).isEqualTo(2);
            assertThat(terminal.errLines()).containsExactly(
                    "chat server: warning: naive-pool is broken on purpose: "
                            + ServerModels.named("naive-pool").orElseThrow().brokenOnPurpose().orElseThrow(),
                    "chat server: cannot listen on 127.0.0.1:" + port + ": address already in use");
        }
    }
}

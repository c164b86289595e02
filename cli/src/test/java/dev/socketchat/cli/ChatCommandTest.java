package dev.socketchat.cli;

import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerModels;
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
import java.util.List;
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
                "--no-notices", "--quiet");

        assertThat(server.options()).isEqualTo(new ServerOptions("0.0.0.0", 6000, 524_288, 2_097_152,
                Duration.ofMillis(500), Duration.ofMinutes(5), 3, Duration.ZERO, false, true, 4, 5, Transport.EPOLL));
    }

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                arguments(List.of("server", "--model", "nope"), "unknown model 'nope'; the models are: single-threaded"),
                arguments(List.of("server", "--port", "70000"), "--port must be between 0 and 65535, not 70000"),
                arguments(List.of("server", "--port", "abc"), "'abc' is not an int"),
                arguments(List.of("server", "--max-payload", "1GB"), "'1GB' is not a size"),
                arguments(List.of("server", "--max-payload", "3000MiB"), "--max-payload must be below 2GiB"),
                arguments(List.of("server", "--transport", "kqueue"),
                        "--transport must be one of auto, io_uring, epoll, nio, not 'kqueue'"),
                arguments(List.of("server", "--loops", "-1"), "--loops must be between 0 and 1024, not -1"),
                arguments(List.of("server", "--outbound-limit", "0"), "--outbound-limit must be at least 1 byte"),
                arguments(List.of("server", "--idle-timeout", "10"), "'10' is not a duration"),
                arguments(List.of("server", "--frame-timeout", "0s"), "--frame-timeout must be longer than 0"),
                arguments(List.of("server", "--max-clients", "0"), "--max-clients must be at least 1"),
                arguments(List.of("server", "--bogus"), "Unknown option: '--bogus'"),
                arguments(List.of("client", "--port", "0"), "--port must be between 1 and 65535, not 0"),
                arguments(List.of("nonsense"), "Unmatched argument at index 0: 'nonsense'"),
                arguments(List.of(), "missing command: server, client or models"));
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

    @Test
    void modelsListsEveryRegisteredModelInLessonOrder() {
        List<ServerModel> models = ServerModels.all();

        int status = run("models");

        assertThat(status).isZero();
        assertThat(models).extracting(ServerModel::name).contains("single-threaded", "thread-per-client");
        assertThat(terminal.outLines()).hasSameSizeAs(models);
        for (int i = 0; i < models.size(); i++) {
            assertThat(terminal.outLines().get(i))
                    .matches(models.get(i).name() + " +" + Pattern.quote(models.get(i).summary()));
        }
    }
}

package dev.socketchat.cli;

import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerModels;
import dev.socketchat.server.ServerOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * clients/python/chat_client.py was written from docs/protocol.md alone, in another language: if it can
 * chat with every model, the protocol document is enough to write a client.
 */
class PythonClientTest {

    private static final Path SCRIPT = Path.of("..", "clients", "python", "chat_client.py").toAbsolutePath().normalize();

    @BeforeAll
    static void requirePython() {
        assumeTrue(runs("python3", "--version"), "python3 is not on the PATH: the Python client is not tested");
        assertThat(SCRIPT).exists();
    }

    static List<String> modelNames() {
        return ServerModels.all().stream().map(ServerModel::name).toList();
    }

    @ParameterizedTest
    @MethodSource("modelNames")
    void thePythonClientSendsMessagesReadsAnAnswerAfterEachAndLeaves(String model) throws Exception {
        ServerModel chosen = ServerModels.named(model).orElseThrow();
        try (ChatServer server = chosen.create(ServerOptions.defaults().withPort(0), ServerConsole.silent())) {
            server.start();
            ProcessBuilder command = new ProcessBuilder("python3", SCRIPT.toString(),
                    "--port", String.valueOf(server.address().getPort()), "hello", "!who")
                    .redirectErrorStream(true);
            // Whatever the machine's locale, the script's text streams are UTF-8, as is the protocol.
            command.environment().put("PYTHONIOENCODING", "utf-8");
            Process python = command.start();
            python.getOutputStream().close();

            assertThat(python.waitFor(60, TimeUnit.SECONDS)).as("the client finished").isTrue();
            List<String> output = python.inputReader(StandardCharsets.UTF_8).lines().toList();
            assertThat(output).containsExactly("* welcome guest-1 (1 online)", "[guest-1] hello", "!who guest-1");
            assertThat(python.exitValue()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("modelNames")
    void thePythonClientSendsOneMessagePerLineOfItsInput(String model) throws Exception {
        ServerModel chosen = ServerModels.named(model).orElseThrow();
        try (ChatServer server = chosen.create(ServerOptions.defaults().withPort(0), ServerConsole.silent())) {
            server.start();
            ProcessBuilder command = new ProcessBuilder("python3", SCRIPT.toString(),
                    "--port", String.valueOf(server.address().getPort()))
                    .redirectErrorStream(true);
            command.environment().put("PYTHONIOENCODING", "utf-8");
            Process python = command.start();
            try (var input = python.getOutputStream()) {
                input.write("!ping 42\ngrüße\n".getBytes(StandardCharsets.UTF_8));
            }

            assertThat(python.waitFor(60, TimeUnit.SECONDS)).as("the client finished").isTrue();
            List<String> output = python.inputReader(StandardCharsets.UTF_8).lines().toList();
            assertThat(output).containsExactly("* welcome guest-1 (1 online)", "!pong 42", "[guest-1] grüße");
            assertThat(python.exitValue()).isZero();
        }
    }

    private static boolean runs(String... command) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

package dev.socketchat.docs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./chat --help}, as README.md prints it, run through the launcher script: it lists every
 * command, {@code bench} included, which the launcher runs from another jar. This module depends on
 * the cli module, so the build has packaged {@code cli/target/chat.jar} before this runs and the
 * launcher finds it fresh.
 */
class LauncherHelpTest {

    @Test
    void theLaunchersHelpListsEveryCommandBenchAndTestIncluded() throws Exception {
        Path root = Repository.root();
        Path out = Files.createTempFile("chat-help", ".out");
        Path err = Files.createTempFile("chat-help", ".err");
        try {
            Process chat = new ProcessBuilder("bash", "chat", "--help").directory(root.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            // Minutes only if a source changed since the build packaged the jar and the launcher rebuilds it.
            assertThat(chat.waitFor(10, TimeUnit.MINUTES)).as("./chat --help ends").isTrue();

            assertThat(chat.exitValue()).as("exit status; error output: %s", Files.readString(err)).isZero();
            List<String> help = Files.readAllLines(out, StandardCharsets.UTF_8);
            assertThat(help.getFirst()).startsWith("Usage: chat ").contains("bench");
            for (String command : List.of("server", "client", "models", "load", "redis", "cluster", "bench", "test")) {
                assertThat(help).as("the line of %s", command).anyMatch(line -> line.startsWith("  " + command + " "));
            }
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }
}

package dev.socketchat.docs;

import dev.socketchat.server.ServerModels;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code ./mvnw} command a lesson's README prints, taken from the README as printed: it selects
 * modules that exist, tests and test methods that exist, and models that are registered, and it does
 * not stop in a module where none of its tests is (surefire fails a {@code -Dtest} that matches
 * nothing in a module that {@code -am} builds first, unless told not to). The same goes for every
 * test class and test method a lesson's exercises name in their text.
 *
 * <p>These checks read files and take milliseconds. With {@code -Ddocs.run-commands=true} the test
 * also runs each command, unedited, from the repository's root, and expects it to pass and to run at
 * least one test: with no exercise applied, every exercise's command must pass. That takes many
 * minutes (each command builds what it needs and runs its tests), so the default build does not.
 */
class ReadmeCommandsTest {

    private static final Pattern INLINE_COMMAND = Pattern.compile("`(\\./mvnw [^`]+)`");
    private static final Pattern TRY_THIS = Pattern.compile("(?ms)^## Try this\\n(.*?)(?=^---|^## |\\z)");
    /** A backticked name in an exercise that reads as a test: a class ending in Test or IT, or a method. */
    private static final Pattern NAMED_TEST = Pattern.compile("`(?:([A-Z]\\w*(?:Test|IT))(?:[.#](\\w+))?|([a-z]\\w{24,}))`");
    private static final Pattern TESTS_RUN = Pattern.compile("Tests run: (\\d+), Failures: 0, Errors: 0");

    private final Path root = Repository.root();

    @TestFactory
    Stream<DynamicTest> everyCommandInALessonsReadmeSelectsWhatExists() throws IOException {
        return commands().entrySet().stream().map(command -> DynamicTest.dynamicTest(command.getValue() + ": " + command.getKey(),
                () -> check(command.getKey())));
    }

    @TestFactory
    Stream<DynamicTest> everyTestAnExerciseNamesExists() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path readme : lessonReadmes()) {
            Matcher section = TRY_THIS.matcher(Repository.read(readme));
            assertThat(section.find()).as("a Try this section in %s", root.relativize(readme)).isTrue();
            Matcher named = NAMED_TEST.matcher(section.group(1));
            while (named.find()) {
                String className = named.group(1);
                String method = className == null ? named.group(3) : named.group(2);
                String name = named.group();
                tests.add(DynamicTest.dynamicTest(root.relativize(readme) + ": " + name,
                        () -> assertThat(testSources(className, method)).as("test sources that declare %s", name).isNotEmpty()));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everyCommandRunsAsPrintedAndPasses() throws IOException {
        if (!Boolean.getBoolean("docs.run-commands")) {
            return Stream.empty();
        }
        return commands().entrySet().stream().map(command -> DynamicTest.dynamicTest(command.getKey(), () -> run(command.getKey())));
    }

    /** Every command, once, with the first README that prints it. */
    private Map<String, String> commands() throws IOException {
        Map<String, String> commands = new LinkedHashMap<>();
        for (Path readme : lessonReadmes()) {
            INLINE_COMMAND.matcher(Repository.read(readme)).results()
                    .forEach(command -> commands.putIfAbsent(command.group(1), root.relativize(readme).toString()));
        }
        assertThat(commands).as("./mvnw commands in the lessons' READMEs").isNotEmpty();
        return commands;
    }

    private List<Path> lessonReadmes() throws IOException {
        try (Stream<Path> lessons = Files.list(root.resolve("lessons"))) {
            return lessons.map(lesson -> lesson.resolve("README.md")).filter(Files::exists).sorted().toList();
        }
    }

    private void check(String command) throws IOException {
        List<String> words = words(command);
        assertThat(words.getFirst()).isEqualTo("./mvnw");
        Map<String, String> properties = new LinkedHashMap<>();
        List<String> modules = new ArrayList<>();
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            if (word.equals("-pl")) {
                modules.addAll(List.of(words.get(++i).split(",")));
            } else if (word.startsWith("-D")) {
                int equals = word.indexOf('=');
                properties.put(word.substring(2, equals), word.substring(equals + 1));
            } else if (!word.startsWith("-")) {
                assertThat(word).as("a phase").isIn("test", "verify");
            }
        }
        assertThat(modules).as("modules (-pl)").isNotEmpty()
                .allSatisfy(module -> assertThat(root.resolve(module).resolve("pom.xml")).exists());
        if (properties.containsKey("test")) {
            if (words.contains("-am")) {
                assertThat(properties).as("a -Dtest over -am, which builds modules that have no such test")
                        .containsEntry("surefire.failIfNoSpecifiedTests", "false");
            }
            for (String selected : properties.get("test").split(",")) {
                String[] parts = selected.split("#");
                assertThat(testSources(modules, parts[0], parts.length > 1 ? parts[1] : null)).as("tests %s in %s", selected, modules).isNotEmpty();
            }
        }
        if (properties.containsKey("it.test")) {
            // The shell removes the quotes that keep a list in one word: -Dit.test='A,B'.
            for (String selected : properties.get("it.test").replace("'", "").split(",")) {
                String[] parts = selected.split("#");
                assertThat(testSources(List.of("integration-tests"), parts[0], parts.length > 1 ? parts[1] : null))
                        .as("integration tests %s", selected).isNotEmpty();
            }
        }
        if (properties.containsKey("contract.variants")) {
            assertThat(properties.get("contract.variants").split(","))
                    .allSatisfy(variant -> assertThat(ServerModels.named(variant)).as("model %s", variant).isPresent());
        }
    }

    /** The words of a command as a POSIX shell splits them: on spaces, with single quotes kept together and removed. */
    private static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (char c : command.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == ' ' && !quoted) {
                if (!word.isEmpty()) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        assertThat(quoted).as("an unclosed quote in %s", command).isFalse();
        words.add(word.toString());
        return words;
    }

    private List<Path> testSources(String className, String method) throws IOException {
        List<String> modules = new ArrayList<>();
        modules.add("integration-tests");
        try (Stream<Path> lessons = Files.list(root.resolve("lessons"))) {
            lessons.map(root::relativize).map(Path::toString).forEach(modules::add);
        }
        return testSources(modules, className, method);
    }

    /** The test sources of these modules that declare the class (any, if null) and the method (any, if null). */
    private List<Path> testSources(List<String> modules, String className, String method) throws IOException {
        List<Path> found = new ArrayList<>();
        for (String module : modules) {
            Path tests = root.resolve(module).resolve("src/test/java");
            if (!Files.isDirectory(tests)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(tests)) {
                files.filter(file -> className == null ? file.toString().endsWith(".java")
                                : file.getFileName().toString().equals(className + ".java"))
                        .filter(file -> method == null || Pattern.compile("[\\w>]\\s+" + Pattern.quote(method) + "\\s*\\(")
                                .matcher(Repository.read(file)).find())
                        .forEach(found::add);
            }
        }
        return found;
    }

    private void run(String command) throws Exception {
        Path log = Files.createTempFile("readme-command", ".log");
        Process process = new ProcessBuilder("bash", "-c", command).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(process.waitFor(30, TimeUnit.MINUTES)).as("%s ends within 30 minutes", command).isTrue();
        String output = Files.readString(log);
        assertThat(process.exitValue()).as("exit status of %s; its output is in %s", command, log).isZero();
        int ran = TESTS_RUN.matcher(output).results().mapToInt(result -> Integer.parseInt(result.group(1))).max().orElse(0);
        assertThat(ran).as("tests that %s ran; its output is in %s", command, log).isPositive();
        Files.delete(log);
    }
}

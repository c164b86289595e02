package dev.socketchat.docs;

import dev.socketchat.client.ChatClient;
import dev.socketchat.contract.ContractCommand;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerModels;
import dev.socketchat.server.ServerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Follows docs/your-own-model.md as a learner would, mechanically: takes each file the guide shows
 * under its path, compiles its Java in-process against the build's class path, puts its service file
 * beside the classes, loads them, and proves that the model registers where every tool looks
 * ({@link ServerModels}) and serves clients. Its {@code pom.xml} and its two entries for
 * {@code lessons/pom.xml} are checked to fit the module they describe. A guide whose snippets no
 * longer compile, or no longer register, fails the build.
 */
class YourOwnModelGuideIT {

    private static final Path GUIDE = Path.of("docs", "your-own-model.md");
    /** "`lessons/x/pom.xml`:", a blank line, then the file in a fence: a file the learner creates. */
    private static final Pattern FILE = Pattern.compile("(?ms)^`([^`\\n]+)`:\\n\\n```\\w*\\n(.*?)^```");
    /** A fence of XML that is a fragment for lessons/pom.xml, not a file. */
    private static final Pattern FRAGMENT = Pattern.compile("(?ms)^```xml\\n(<(module|dependency)>.*?)^```");
    private static final String SERVICE_FILE = "src/main/resources/META-INF/services/" + ServerModel.class.getName();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void theGuidesFilesMakeAModelThatRegistersAndServesClients(@TempDir Path scratch) throws Exception {
        String guide = Repository.read(Repository.root().resolve(GUIDE));
        Map<String, String> files = files(guide);
        String module = moduleFolder(files);

        Path classes = Files.createDirectories(scratch.resolve("classes"));
        compile(files, scratch.resolve("src"), classes);
        String service = files.get(module + "/" + SERVICE_FILE);
        assertThat(service).as("the guide's service file, %s", module + "/" + SERVICE_FILE).isNotNull();
        Path registration = classes.resolve("META-INF/services/" + ServerModel.class.getName());
        Files.createDirectories(registration.getParent());
        Files.writeString(registration, service);

        checkPom(Repository.root(), module, files.get(module + "/pom.xml"), fragments(guide));

        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader learners = new URLClassLoader(new URL[] {classes.toUri().toURL()}, before)) {
            // ServerModels asks ServiceLoader, which looks through the thread's context class loader.
            Thread.currentThread().setContextClassLoader(learners);
            List<ServerModel> models = ServerModels.all();
            List<ServerModel> theirs = models.stream().filter(model -> model.getClass().getClassLoader() == learners).toList();
            assertThat(theirs).as("models registered by the guide's files").hasSize(1);
            ServerModel model = theirs.getFirst();
            assertThat(guide).contains("./chat server --model " + model.name(), "./chat test " + model.name());
            assertThat(ServerModels.named(model.name()).map(Object::getClass)).contains(model.getClass());
            int place = models.indexOf(model);
            assertThat(models.get(place - 1).name()).as("the model listed before it").isEqualTo("thread-per-client");

            servesTwoClientsWhoChat(model);
            passesTheContract(model);
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }

    /**
     * What {@code ./chat test MODEL} does for the learner, run here in this JVM: the whole contract on
     * the guide's model, found through the same context class loader, ending in a count with no failure.
     */
    private static void passesTheContract(ServerModel model) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ContractCommand.run(new String[] {model.name()}, new PrintStream(out, true, UTF_8),
                new PrintStream(err, true, UTF_8));
        String report = out.toString(UTF_8);
        assertThat(status).as("./chat test %s exited with %d:%n%s%s", model.name(), status, report, err.toString(UTF_8))
                .isZero();
        assertThat(report.lines().toList().getLast()).matches("\\d+ passed, 0 failed, \\d+ skipped");
    }

    private static void servesTwoClientsWhoChat(ServerModel model) throws Exception {
        try (ChatServer server = model.create(ServerOptions.defaults().withPort(0), ServerConsole.silent())) {
            server.start();
            try (ChatClient alice = ChatClient.connect(server.address())) {
                assertThat(alice.receive(WAIT)).isEqualTo("* welcome guest-1 (1 online)");
                try (ChatClient bob = ChatClient.connect(server.address())) {
                    assertThat(bob.receive(WAIT)).isEqualTo("* welcome guest-2 (2 online)");
                    assertThat(alice.receive(WAIT)).isEqualTo("* guest-2 joined");
                    bob.send("hello from a model of my own");
                    assertThat(alice.receive(WAIT)).isEqualTo("[guest-2] hello from a model of my own");
                    assertThat(bob.receive(WAIT)).isEqualTo("[guest-2] hello from a model of my own");
                }
            }
        }
    }

    /** Every file the guide shows, by its path in the repository, in the guide's order. */
    private static Map<String, String> files(String guide) {
        Map<String, String> files = new LinkedHashMap<>();
        Matcher file = FILE.matcher(guide);
        while (file.find()) {
            files.put(file.group(1), file.group(2));
        }
        assertThat(files).as("files in %s", GUIDE).isNotEmpty();
        return files;
    }

    /** The one module folder every file of the guide lives in: lessons/NAME. */
    private static String moduleFolder(Map<String, String> files) {
        List<String> folders = files.keySet().stream().map(path -> path.split("/")).map(parts -> parts[0] + "/" + parts[1]).distinct().toList();
        assertThat(folders).as("module folders of the guide's files").hasSize(1);
        assertThat(folders.getFirst()).startsWith("lessons/");
        return folders.getFirst();
    }

    private static List<String> fragments(String guide) {
        List<String> fragments = new ArrayList<>();
        FRAGMENT.matcher(guide).results().forEach(fragment -> fragments.add(fragment.group(1)));
        return fragments;
    }

    private static void compile(Map<String, String> files, Path sources, Path classes) throws Exception {
        List<Path> javaFiles = new ArrayList<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            if (file.getKey().endsWith(".java")) {
                Path source = sources.resolve(file.getKey());
                Files.createDirectories(source.getParent());
                javaFiles.add(Files.writeString(source, file.getValue()));
            }
        }
        assertThat(javaFiles).as("Java sources in the guide").isNotEmpty();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK's compiler in the JVM that runs the tests").isNotNull();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            // Surefire runs tests from a jar whose manifest holds the class path; it also passes the real one.
            String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<String> options = List.of("--release", "21", "-Xlint:all", "-classpath", classPath, "-d", classes.toString());
            boolean compiled = javac.getTask(null, fileManager, diagnostics, options, null,
                    fileManager.getJavaFileObjectsFromPaths(javaFiles)).call();
            assertThat(diagnostics.getDiagnostics()).as("what javac said about the guide's sources").isEmpty();
            assertThat(compiled).isTrue();
        }
    }

    /**
     * The module's pom.xml inherits the project's parent from two folders up, names the artifact that
     * the guide's dependency fragment adds to lessons/pom.xml, and its module fragment names its folder.
     */
    private static void checkPom(Path root, String module, String pom, List<String> fragments) throws Exception {
        assertThat(pom).as("the guide's %s/pom.xml", module).isNotNull();
        Element project = xml(pom).getDocumentElement();
        Element parent = child(project, "parent");
        Path parentPom = root.resolve(module).resolve(text(parent, "relativePath")).normalize();
        assertThat(parentPom).isEqualTo(root.resolve("pom.xml"));
        Element realParent = xml(Repository.read(parentPom)).getDocumentElement();
        assertThat(text(parent, "artifactId")).isEqualTo(text(realParent, "artifactId"));
        assertThat(text(parent, "version")).isEqualTo(text(realParent, "version"));
        String artifactId = text(project, "artifactId");

        assertThat(fragments).as("the guide's two entries for lessons/pom.xml").hasSize(2);
        Element moduleEntry = xml(fragments.get(0)).getDocumentElement();
        assertThat(moduleEntry.getTagName()).isEqualTo("module");
        assertThat("lessons/" + moduleEntry.getTextContent().trim()).isEqualTo(module);
        Element dependency = xml(fragments.get(1)).getDocumentElement();
        assertThat(text(dependency, "artifactId")).isEqualTo(artifactId);
        assertThat(text(dependency, "groupId")).isEqualTo(text(realParent, "groupId"));
    }

    private static Document xml(String text) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static Element child(Element element, String name) {
        for (var node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child && child.getTagName().equals(name)) {
                return child;
            }
        }
        throw new AssertionError("no <" + name + "> in <" + element.getTagName() + ">");
    }

    private static String text(Element element, String child) {
        return child(element, child).getTextContent().trim();
    }
}

package dev.socketchat.contract;

import dev.socketchat.server.ModelSetting;
import dev.socketchat.server.ServerOptions;
import dev.socketchat.server.Transport;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A variant's server as users run it: the packaged command-line jar, started with
 * {@code java -jar chat.jar server --model <name>} in a container on a JDK 21 runtime image, with
 * the default options of docs/protocol.md (and a larger pool where a test needs one). Clients reach it
 * through the port Docker maps to 5050.
 *
 * <p>Each test gets a fresh container, as each in-process test gets a fresh server: a room that
 * earlier tests have just left could still announce their leaving to the next test's clients.
 */
final class ContainerServer implements ServerUnderTest, AutoCloseable {

    /** The packaged server; the build passes its path, see this module's pom. */
    static final Path CHAT_JAR = Path.of(System.getProperty("chat.jar", "../cli/target/chat.jar"));

    private static final int PORT = ServerOptions.DEFAULT_PORT;
    private static final int STOP_TIMEOUT_SECONDS = 30;

    /** Built once per run, on first use; removed when the run ends. */
    private static ImageFromDockerfile image;

    private final GenericContainer<?> container;
    private final ServerOptions options;

    private ContainerServer(GenericContainer<?> container, ServerOptions options) {
        this.container = container;
        this.options = options;
    }

    /** The options every container runs with: the defaults of docs/protocol.md, reachable through Docker's port mapping. */
    static ServerOptions defaultOptions() {
        return ServerOptions.defaults().withHost("0.0.0.0");
    }

    /**
     * Starts the model's server in a new container, with {@link #defaultOptions()} and the pool size
     * and transport of {@code options}; returns once its port accepts connections.
     */
    @SuppressWarnings("resource") // The container is closed by close().
    static ContainerServer start(String model, ServerOptions options) {
        List<String> command = new ArrayList<>(List.of("server", "--model", model, "--host", options.host(),
                "--port", Integer.toString(PORT), "--quiet"));
        int threads = options.get(ModelSetting.THREADS);
        if (threads > 0) {
            command.addAll(List.of("--threads", Integer.toString(threads)));
        }
        Transport transport = options.get(ModelSetting.TRANSPORT);
        if (transport != Transport.AUTO) {
            command.addAll(List.of("--transport", transport.cliName()));
        }
        GenericContainer<?> container = new GenericContainer<>(image())
                .withCommand(command.toArray(String[]::new))
                .withExposedPorts(PORT)
                .waitingFor(Wait.forListeningPort());
        container.start();
        return new ContainerServer(container, options);
    }

    private static synchronized ImageFromDockerfile image() {
        if (image == null) {
            if (!Files.isRegularFile(CHAT_JAR)) {
                throw new IllegalStateException("the container run needs the packaged server at "
                        + CHAT_JAR.toAbsolutePath().normalize() + ": build it first with ./mvnw -B package -pl cli -am");
            }
            image = new ImageFromDockerfile("socketchat/contract-server", true)
                    .withFileFromPath("chat.jar", CHAT_JAR)
                    .withDockerfileFromBuilder(dockerfile -> dockerfile
                            .from("eclipse-temurin:21-jre")
                            .copy("chat.jar", "/app/chat.jar")
                            .expose(PORT)
                            .entryPoint("java", "-jar", "/app/chat.jar")
                            .build());
        }
        return image;
    }

    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress(container.getHost(), container.getMappedPort(PORT));
    }

    @Override
    public ServerOptions options() {
        return options;
    }

    /** Sends SIGTERM, as an operator would, and waits for the server to exit. */
    @Override
    public void stop() {
        if (container.isRunning()) {
            container.getDockerClient().stopContainerCmd(container.getContainerId())
                    .withTimeout(STOP_TIMEOUT_SECONDS)
                    .exec();
        }
    }

    @Override
    public void close() {
        container.stop();
    }
}

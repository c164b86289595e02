package dev.socketchat.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository the tests of its documents read: found upwards from the working directory, so
 * that they run wherever the build does, from the root or from a module.
 */
final class Repository {

    private Repository() {
    }

    /** The repository's root: the first folder upwards that holds {@code mvnw} and {@code docs/protocol.md}. */
    static Path root() {
        Path root = Path.of("").toAbsolutePath();
        while (!(Files.exists(root.resolve("mvnw")) && Files.exists(root.resolve("docs/protocol.md")))) {
            root = root.getParent();
            if (root == null) {
                throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
            }
        }
        return root;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

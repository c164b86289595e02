package dev.socketchat.server;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which I/O transport a model that can choose one should use: the JDK's selector ({@link #NIO}),
 * or a native one of Linux ({@link #EPOLL}, {@link #IO_URING}). Only a framework with native
 * transports (lesson 08, Netty) reads it; every hand-written lesson is NIO by construction.
 */
public enum Transport {
    /** The best transport the machine offers, falling back to {@link #NIO}. */
    AUTO,
    IO_URING,
    EPOLL,
    NIO;

    /** The name on the command line: {@code auto}, {@code io_uring}, {@code epoll}, {@code nio}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The transport with this command-line name, in any letter case. */
    public static Optional<Transport> named(String name) {
        return Arrays.stream(values()).filter(t -> t.cliName().equalsIgnoreCase(name)).findFirst();
    }

    /** The command-line names, for a usage message: {@code auto, io_uring, epoll, nio}. */
    public static String cliNames() {
        return Arrays.stream(values()).map(Transport::cliName).collect(Collectors.joining(", "));
    }
}

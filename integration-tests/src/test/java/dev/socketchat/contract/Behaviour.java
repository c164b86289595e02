package dev.socketchat.contract;

import dev.socketchat.server.ServerOptions;

import java.util.function.UnaryOperator;

/**
 * One behaviour of the protocol that every variant must show, written once as a check against a
 * {@link ServerUnderTest}.
 *
 * @param name    what the behaviour is, as it reads in a test name: "{@code <variant>: <name>}"
 * @param clients how many clients the check keeps connected at once; a variant that cannot serve
 *                that many skips it
 * @param options the server options the check needs, from the suite's base options
 * @param check   the check itself; it judges only what clients see
 * @param alone   whether the check needs the machine to itself ({@link MachineLock}): it holds a
 *                server to a tight clock, or loads the machine enough to eat another check's margins
 */
record Behaviour(String name, int clients, UnaryOperator<ServerOptions> options, Check check, boolean alone) {

    /** A check of one behaviour against a running server. */
    @FunctionalInterface
    interface Check {
        void run(ServerUnderTest server) throws Exception;
    }

    /** A behaviour that runs with the suite's base options. */
    static Behaviour of(String name, int clients, Check check) {
        return new Behaviour(name, clients, UnaryOperator.identity(), check, false);
    }

    /** The same behaviour, with options changed for it. */
    Behaviour with(UnaryOperator<ServerOptions> change) {
        return new Behaviour(name, clients, options.andThen(change)::apply, check, alone);
    }

    /**
     * The same behaviour, checked only while no other JVM of the build holds the {@link MachineLock}.
     * Everything else runs beside whatever runs: most of it waits on sockets, with margins that a
     * loaded machine does not eat.
     */
    Behaviour runAlone() {
        return new Behaviour(name, clients, options, check, true);
    }

    @Override
    public String toString() {
        return name;
    }
}

package dev.socketchat.server;

/**
 * The settings of {@link ServerOptions} that only some models read. A model lists the ones it uses
 * in {@link ServerModel#settings()}, so that the command line can tell a user who sets one for a
 * model that ignores it, instead of letting the setting vanish without a word.
 */
public enum ModelSetting {
    /** {@link ServerOptions#threads()}: a pool's or a channel group's worker threads. */
    THREADS("--threads"),
    /** {@link ServerOptions#loops()}: how many event loops share the connections. */
    LOOPS("--loops"),
    /** {@link ServerOptions#transport()}: the framework's I/O transport. */
    TRANSPORT("--transport");

    private final String option;

    ModelSetting(String option) {
        this.option = option;
    }

    /** The command-line option that sets it, such as {@code --threads}. */
    public String option() {
        return option;
    }
}

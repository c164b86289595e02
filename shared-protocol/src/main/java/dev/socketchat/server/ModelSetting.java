package dev.socketchat.server;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A setting that only some models read, such as a pool's size: a typed key of
 * {@link ServerOptions#get} and {@link ServerOptions#with(ModelSetting, Object)}. The settings every
 * model shares are fields of {@link ServerOptions}; these are not, so that a reader of the options
 * sees what every server takes, and a reader of a model sees, in {@link ServerModel#settings()},
 * which of these it reads. The command line tells a user who sets one for a model that ignores it,
 * instead of letting the setting vanish without a word.
 *
 * @param <T> the type of its value
 */
public final class ModelSetting<T> {

    /** A pool's or a channel group's worker threads (lessons 03 and 07); 0 means the model's default. */
    public static final ModelSetting<Integer> THREADS = new ModelSetting<>("threads", "--threads", Integer.class, 0,
            "between 0 and 100000", threads -> threads >= 0 && threads <= 100_000);
    /** How many event loops share the connections (lessons 06 and 08); 0 means the model's default. */
    public static final ModelSetting<Integer> LOOPS = new ModelSetting<>("loops", "--loops", Integer.class, 0,
            "between 0 and 1024", loops -> loops >= 0 && loops <= 1_024);
    /** The I/O transport of a framework that has native ones (lesson 08, Netty). */
    public static final ModelSetting<Transport> TRANSPORT = new ModelSetting<>("transport", "--transport",
            Transport.class, Transport.AUTO, "one of " + Transport.cliNames(), transport -> true);

    private static final List<ModelSetting<?>> ALL = List.of(THREADS, LOOPS, TRANSPORT);

    private final String name;
    private final String option;
    private final Class<T> type;
    private final T defaultValue;
    private final String rule;
    private final Predicate<T> valid;

    private ModelSetting(String name, String option, Class<T> type, T defaultValue, String rule,
                         Predicate<T> valid) {
        this.name = name;
        this.option = option;
        this.type = type;
        this.defaultValue = defaultValue;
        this.rule = rule;
        this.valid = valid;
    }

    /** Every setting that some model reads, in the order the command line lists them. */
    public static List<ModelSetting<?>> values() {
        return ALL;
    }

    /** The command-line option that sets it, such as {@code --threads}. */
    public String option() {
        return option;
    }

    /** What a model reads when nobody set it. */
    public T defaultValue() {
        return defaultValue;
    }

    /**
     * {@code value} as this setting's type, if it is one this setting allows.
     *
     * @throws IllegalArgumentException naming the setting and its rule, such as
     *                                  {@code threads must be between 0 and 100000: -1}
     */
    T check(Object value) {
        Objects.requireNonNull(value, name);
        if (!type.isInstance(value) || !valid.test(type.cast(value))) {
            throw new IllegalArgumentException(name + " must be " + rule + ": " + value);
        }
        return type.cast(value);
    }

    /** Its name, such as {@code threads}. */
    @Override
    public String toString() {
        return name;
    }
}

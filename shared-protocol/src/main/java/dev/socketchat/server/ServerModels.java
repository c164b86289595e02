package dev.socketchat.server;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds every {@link ServerModel} on the class path, in lesson order. Models that are
 * {@linkplain ServerModel#brokenOnPurpose() broken on purpose} are found by name, and listed only
 * when asked for, so that nothing meant to compare working models picks them up by accident.
 */
public final class ServerModels {

    private ServerModels() {
    }

    /** Every registered model meant to work, ordered by lesson number. */
    public static List<ServerModel> all() {
        return registered().stream().filter(model -> model.brokenOnPurpose().isEmpty()).toList();
    }

    /** Every registered model broken on purpose, ordered by the lesson that fixes it. */
    public static List<ServerModel> brokenOnPurpose() {
        return registered().stream().filter(model -> model.brokenOnPurpose().isPresent()).toList();
    }

    /** Every registered model, working or broken on purpose, ordered by lesson number. */
    public static List<ServerModel> registered() {
        return ServiceLoader.load(ServerModel.class).stream()
                .map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparingInt(ServerModel::lesson))
                .toList();
    }

    /** The model with this name, if one is registered, broken on purpose or not. */
    public static Optional<ServerModel> named(String name) {
        return registered().stream().filter(model -> model.name().equals(name)).findFirst();
    }
}

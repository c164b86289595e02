package dev.socketchat.server;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** Finds every {@link ServerModel} on the class path, in lesson order. */
public final class ServerModels {

    private ServerModels() {
    }

    /** Every registered model, ordered by lesson number. */
    public static List<ServerModel> all() {
        return ServiceLoader.load(ServerModel.class).stream()
                .map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparingInt(ServerModel::lesson))
                .toList();
    }

    /** The model with this name, if one is registered. */
    public static Optional<ServerModel> named(String name) {
        return all().stream().filter(model -> model.name().equals(name)).findFirst();
    }
}

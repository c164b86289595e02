package dev.socketchat.cli;

import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code chat models}: one line per model on the class path, in lesson order, its name and then its
 * summary. The list is whatever {@link ServerModels} discovers, so a new lesson appears here without
 * a change to this class. Models broken on purpose are listed only with {@code --all}, marked as such.
 */
@Command(name = "models", description = "Lists the server models, one per lesson: the names --model takes.")
final class ModelsCommand implements Runnable {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--all", description = "Also list the models that are broken on purpose, to show a hazard.")
    private boolean all;

    private final PrintStream out;

    ModelsCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public void run() {
        List<ServerModel> models = all ? ServerModels.registered() : ServerModels.all();
        int width = models.stream().mapToInt(model -> model.name().length()).max().orElse(0);
        for (ServerModel model : models) {
            String mark = model.brokenOnPurpose().isPresent() ? "(broken on purpose) " : "";
            out.printf("%-" + width + "s  %s%s%n", model.name(), mark, model.summary());
        }
    }
}

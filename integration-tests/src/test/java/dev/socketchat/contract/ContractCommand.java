package dev.socketchat.contract;

import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerModels;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.PrintStream;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * {@code ./chat test MODEL}: the whole contract suite ({@link ContractSuiteIT}, {@link TimeoutContractIT}
 * and {@link TimedContractIT}) against one registered model, a learner's own included, run by the JUnit
 * Platform launcher as failsafe runs it, with each behaviour reported in plain words as it ends
 * ({@link PlainReport}). Exit status 0 when nothing failed, 1 when something did, 2 for a command
 * line that names no registered model.
 *
 * <p>It lives with the tests it runs: the launcher script builds this module's test classes and runs
 * this class on their class path.
 */
public final class ContractCommand {

    static final int USAGE = 2;
    private static final String VARIANTS_PROPERTY = "contract.variants";

    private ContractCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the suite as {@code args} ask and returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println(usage());
            return 0;
        }
        if (args.length != 1) {
            err.println("chat test: name one model: " + usage());
            return USAGE;
        }
        String model = args[0];
        if (ServerModels.named(model).isEmpty()) {
            err.println("chat test: no model named '" + model + "'; the registered models are "
                    + String.join(", ", ServerModels.registered().stream().map(ServerModel::name).toList()));
            return USAGE;
        }
        PlainReport report = new PlainReport(out);
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(ContractSuiteIT.class), selectClass(TimeoutContractIT.class),
                        selectClass(TimedContractIT.class))
                .build();
        // Only this listener: the skip summary that failsafe prints would repeat the skips listed here.
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false)
                .build());
        // Variant.all() reads it as the suite makes its tests: they are this model's variants only.
        String before = System.setProperty(VARIANTS_PROPERTY, model);
        try {
            launcher.execute(request, new Reporting(report));
        } finally {
            if (before == null) {
                System.clearProperty(VARIANTS_PROPERTY);
            } else {
                System.setProperty(VARIANTS_PROPERTY, before);
            }
        }
        return report.finish();
    }

    private static String usage() {
        return "./chat test MODEL (./chat models lists the models; integration-tests/README.md describes the contract)";
    }

    /** Hands each test's end to the report; a container that fails (a whole class, a section) counts too. */
    private record Reporting(PlainReport report) implements TestExecutionListener {

        @Override
        public void executionSkipped(TestIdentifier test, String reason) {
            report.skipped(test.getDisplayName(), reason);
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            String why = result.getThrowable().map(ContractCommand::describe).orElse("");
            switch (result.getStatus()) {
                case SUCCESSFUL -> {
                    if (test.isTest()) {
                        report.passed(test.getDisplayName());
                    }
                }
                case ABORTED -> report.skipped(test.getDisplayName(), why);
                case FAILED -> report.failed(test.getDisplayName(), why);
            }
        }
    }

    private static String describe(Throwable thrown) {
        return thrown.getMessage() == null ? thrown.toString() : thrown.getMessage();
    }
}

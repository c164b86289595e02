package dev.socketchat.contract;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints, at the end of the run, what was skipped for which variant and why, so that a variant's
 * exemptions are in plain sight rather than scattered through the report.
 *
 * <p>Contract tests are named "{@code <variant>: <behaviour>}"; the part before the first colon
 * groups them. Registered in {@code META-INF/services} for the JUnit Platform launcher.
 */
public final class SkipSummary implements TestExecutionListener {

    private final Map<String, List<String>> skipsByVariant = new TreeMap<>();
    private final Map<String, String> wholeSkips = new TreeMap<>();

    @Override
    public synchronized void executionSkipped(TestIdentifier test, String reason) {
        record(test, reason);
    }

    @Override
    public synchronized void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            record(test, result.getThrowable().map(Throwable::getMessage).orElse("no reason given"));
        }
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan plan) {
        if (skipsByVariant.isEmpty() && wholeSkips.isEmpty()) {
            return;
        }
        StringBuilder summary = new StringBuilder("Skipped, by variant:\n");
        wholeSkips.forEach((container, reason) ->
                summary.append("  ").append(container).append(": all of it (").append(reason).append(")\n"));
        skipsByVariant.forEach((variant, skips) -> {
            summary.append("  ").append(variant).append(": ").append(skips.size()).append(" skipped\n");
            skips.forEach(skip -> summary.append("    - ").append(skip).append('\n'));
        });
        System.out.print(summary);
    }

    private void record(TestIdentifier test, String reason) {
        String name = test.getDisplayName();
        int colon = name.indexOf(": ");
        if (colon < 0) {
            // A class or factory skipped as a whole, such as the container run without Docker.
            wholeSkips.put(name, reason);
        } else {
            skipsByVariant.computeIfAbsent(name.substring(0, colon), key -> new ArrayList<>())
                    .add(name.substring(colon + 2) + " (" + reason + ")");
        }
    }
}

package dev.socketchat.bench;

import dev.socketchat.load.ClientDriver;

import java.io.IOException;
import java.time.Duration;

/** Set-up and tear-down steps that every benchmark shares. */
final class Trials {

    private Trials() {
    }

    /** Generous: connecting 10,000 clients to a thread-per-client server takes seconds on 2 cores. */
    static Duration connectTimeout(int clients) {
        return Duration.ofSeconds(30).plusMillis(10L * clients);
    }

    /** Refuses, with the reason, a level that the model cannot serve: it would wait forever. */
    static void requireServable(Workload workload, String variant, int clients) {
        workload.whyNot(BenchVariants.require(variant), clients).ifPresent(reason -> {
            throw new IllegalStateException(variant + " cannot run " + workload.id() + " with " + clients
                    + " clients: it " + reason);
        });
    }

    static void requireAllWelcomed(ClientDriver.Joined joined, int clients) throws IOException {
        if (joined.welcomed() < clients) {
            throw new IOException("only " + joined.welcomed() + " of " + clients + " clients got in"
                    + (joined.timedOut() ? " before the deadline" : "")
                    + (joined.refusal().isEmpty() ? "" : "; the first refused one saw: " + joined.refusal()));
        }
    }

    /** Closes the clients first, so the server sees them leave, then stops the server. Never throws. */
    static void closeAll(ClientDriver driver, ServerProcess server) {
        try {
            if (driver != null) {
                driver.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }
}

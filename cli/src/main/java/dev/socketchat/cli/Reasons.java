package dev.socketchat.cli;

import java.io.IOException;
import java.net.UnknownHostException;
import java.util.Locale;

/** Turns a network exception into the few words a user needs: {@code connection refused}. */
final class Reasons {

    private Reasons() {
    }

    /**
     * The exception's message, without the JDK's detail in parentheses and starting lower case, to
     * follow a colon: {@code "Connection refused"} becomes {@code "connection refused"}.
     */
    static String of(IOException e) {
        if (e instanceof UnknownHostException) {
            return "unknown host";
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        int detail = message.indexOf(" (");
        String reason = detail > 0 ? message.substring(0, detail) : message;
        return reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
    }
}

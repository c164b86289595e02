package dev.socketchat.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The console for scripts and pipes: one line in, one frame out; one frame in, one line of plain
 * text out, its control characters spelled out so that a frame is always exactly one line.
 *
 * <p>The two threads share nothing here: the keyboard thread only reads {@code in}, the receiving
 * thread only writes {@code out}. A read blocked on {@code in} cannot be woken, so
 * {@link #stopReading()} leaves it blocked: the keyboard thread is a daemon and dies with the program.
 */
final class PlainConsole implements ChatConsole {

    private final BufferedReader in;
    private final PrintStream out;
    private final FrameStyle style;

    PlainConsole(InputStream in, PrintStream out, FrameStyle style) {
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
        this.style = style;
    }

    @Override
    public String readLine() {
        try {
            return in.readLine();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void show(String payload) {
        out.println(style.format(payload, null).toString());
    }

    @Override
    public void stopReading() {
        out.flush();
    }
}

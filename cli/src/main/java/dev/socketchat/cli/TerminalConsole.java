package dev.socketchat.cli;

import org.jline.keymap.KeyMap;
import org.jline.reader.Binding;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;

/**
 * The console for a person at a terminal, built on JLine's line editor: what arrives is printed
 * above the line being typed, which stays whole; Up and Down recall earlier lines; Tab completes
 * commands and members' names; the prompt shows your current name.
 *
 * <h2>Where the two threads meet</h2>
 * The keyboard thread spends its life in {@link LineReader#readLine}, which owns the terminal
 * while it edits: it has put it in raw mode and redraws the line on every key. The receiving thread
 * never writes to the terminal directly: it calls {@link LineReader#printAbove}, which takes the
 * line reader's own lock (the one each key's redraw holds), erases the line being typed, prints the
 * frame, and draws the line again as it was, cursor included. That lock is the only rule, so each
 * frame and each redraw is whole, and a frame never lands in the middle of the typed text. The
 * prompt changes the same way: a widget run with {@link LineReader#callWidget} holds that lock too.
 *
 * <p>A line you send is erased when you press Enter ({@code ERASE_LINE_ON_FINISH}): it appears once,
 * when the server relays it to everyone, in its place in the room's order.
 */
final class TerminalConsole implements ChatConsole {

    private static final List<String> COMMANDS = List.of("!who", "!nick", "!ping", "!Disconnect", "!help");
    private static final List<String> HELP = List.of(
            "!who              who is here",
            "!nick NAME        take a new name",
            "!ping [TOKEN]     the server answers !pong [TOKEN]",
            "!Disconnect       leave (Ctrl-D and Ctrl-C too)",
            "!help             this list (answered here, not by the server)",
            "Up and Down recall earlier lines; Tab completes commands and names.");
    private static final String PROMPT_WIDGET = "chat-prompt";
    private static final Duration RESTORE_WAIT = Duration.ofSeconds(5);

    private final Terminal terminal;
    private final LineReaderImpl reader;
    private final FrameStyle style;
    private final int maxPayload;
    private final RoomView room = new RoomView();
    // Lines of a multi-line paste still to send; the keyboard thread's alone.
    private final Deque<String> pending = new ArrayDeque<>();

    // Guards readingThread and stopped, so that stopReading() can wake a read and wait for its end.
    private final Object readingLock = new Object();
    private Thread readingThread;
    private boolean stopped;

    /**
     * @param maxPayload the longest line, in UTF-8 bytes, to send; a longer one is refused here with
     *                   a message, instead of by the server, which would close the connection
     */
    TerminalConsole(Terminal terminal, FrameStyle style, int maxPayload) {
        this.terminal = terminal;
        this.style = style;
        this.maxPayload = maxPayload;
        reader = new LineReaderImpl(terminal, "chat", new HashMap<>());
        // A chat line is sent as typed: no quotes or backslashes that the parser would wait to see
        // closed or would remove, and no shell-like history events ("!!", "!who" as "!w...").
        reader.setParser(new DefaultParser().quoteChars(new char[0]).escapeChars(new char[0]));
        reader.setOpt(LineReader.Option.DISABLE_EVENT_EXPANSION);
        reader.setOpt(LineReader.Option.ERASE_LINE_ON_FINISH);
        reader.setOpt(LineReader.Option.CASE_INSENSITIVE);
        reader.setCompleter((lineReader, line, candidates) -> complete(line, candidates));
        // The arrows as terminals send them outside keypad mode too (JLine binds only the keypad
        // mode's ESC O A...), so that no terminal's arrow ever ends up as text in a message.
        KeyMap<Binding> keys = reader.getKeyMaps().get(LineReader.MAIN);
        keys.bind(new Reference(LineReader.UP_LINE_OR_SEARCH), "\033[A");
        keys.bind(new Reference(LineReader.DOWN_LINE_OR_SEARCH), "\033[B");
        keys.bind(new Reference(LineReader.FORWARD_CHAR), "\033[C");
        keys.bind(new Reference(LineReader.BACKWARD_CHAR), "\033[D");
        keys.bind(new Reference(LineReader.BEGINNING_OF_LINE), "\033[H");
        keys.bind(new Reference(LineReader.END_OF_LINE), "\033[F");
        reader.getWidgets().put(PROMPT_WIDGET, this::setPrompt);
        // Run by every readLine() once it holds the lock: the first drawing has the latest name.
        reader.getWidgets().put(LineReader.CALLBACK_INIT, this::setPrompt);
    }

    @Override
    public String readLine() {
        String line;
        while ((line = nextLine()) != null) {
            if (line.isEmpty()) {
                continue;
            }
            if ("help".equals(InteractiveClient.commandWord(line))) {
                HELP.forEach(this::say);
                continue;
            }
            int bytes = line.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxPayload) {
                say(String.format(Locale.ROOT, "not sent: the line is %,d bytes, and a message may be at most %,d bytes",
                        bytes, maxPayload));
                continue;
            }
            return line;
        }
        return null;
    }

    @Override
    public void show(String payload) {
        if (room.learn(payload)) {
            try {
                reader.callWidget(PROMPT_WIDGET);
            } catch (IllegalStateException notReading) {
                // No line is being edited: the next readLine() draws the new name.
            }
        }
        reader.printAbove(style.format(payload, room.me()));
    }

    @Override
    public void stopReading() {
        synchronized (readingLock) {
            stopped = true;
            if (readingThread != null) {
                // readLine() ends with UserInterruptException and restores the terminal's mode.
                readingThread.interrupt();
            }
            long deadline = System.nanoTime() + RESTORE_WAIT.toNanos();
            try {
                while (readingThread != null && System.nanoTime() < deadline) {
                    readingLock.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The next line typed or pasted; null when the user leaves or reading stopped. */
    private String nextLine() {
        if (pending.isEmpty()) {
            String typed = edit();
            if (typed == null) {
                return null;
            }
            // A paste of several lines arrives as one edit: each line is one message, as if typed.
            pending.addAll(List.of(typed.split("\\R")));
        }
        return pending.poll();
    }

    private String edit() {
        synchronized (readingLock) {
            if (stopped) {
                return null;
            }
            readingThread = Thread.currentThread();
        }
        try {
            // Blocks until Enter; the terminal is in raw mode only in here.
            return reader.readLine(style.prompt(room.me()).toAnsi(terminal));
        } catch (UserInterruptException | EndOfFileException e) {
            // Ctrl-C, Ctrl-D on an empty line, or stopReading(): each ends the conversation.
            return null;
        } finally {
            synchronized (readingLock) {
                readingThread = null;
                readingLock.notifyAll();
            }
        }
    }

    private void say(String text) {
        reader.printAbove(style.local(text));
    }

    /** The prompt widget; runs with the line reader's lock held. */
    private boolean setPrompt() {
        reader.setPrompt(style.prompt(room.me()).toAnsi(terminal));
        return true;
    }

    private void complete(ParsedLine line, List<Candidate> candidates) {
        boolean commandWord = line.wordIndex() == 0 && line.word().startsWith("!");
        for (String word : commandWord ? COMMANDS : room.members()) {
            candidates.add(new Candidate(word));
        }
    }
}

package dev.socketchat.cli;

import dev.socketchat.protocol.VisibleText;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

import java.time.Clock;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a frame looks on the screen: the payload's text exactly, its control characters spelled out
 * ({@link VisibleText}), and, where colour is on, a style for each kind of frame:
 *
 * <pre>
 *   [alice] hi there       your own message: your name and your text in bold
 *   [bob] hello            another member's: the name in its own colour
 *   * bob joined           a room notice: faint
 *   !who alice,bob         a command's reply: italic
 *   !error name taken: x   an error: red
 *   !who   who is here     what the client says itself (!help): faint italic
 * </pre>
 *
 * <p>Each name gets a colour from its lower-case spelling's {@link String#hashCode()}, which Java
 * defines exactly, so bob is the same colour in every client and every run. Red is kept for errors.
 * With colour off (a plain console, a terminal without colours, or {@code NO_COLOR} set) the text is
 * the same, without styles. An optional clock puts the time of arrival in front of every line.
 */
final class FrameStyle {

    private static final Pattern MESSAGE = Pattern.compile("\\[([A-Za-z0-9_-]{1,32})] (.*)", Pattern.DOTALL);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    /**
     * One colour per hue, never a colour and its bright twin, which many terminals barely tell apart.
     * Names that differ in their last character (guest-1, guest-2, ...) have consecutive hash codes, so
     * they take neighbouring entries: five in a row all differ, and neighbours contrast. Yellow and
     * blue are the bright ones, the plain ones being dim on a dark background.
     */
    private static final int[] NAME_COLOURS = {
        AttributedStyle.GREEN, AttributedStyle.MAGENTA, AttributedStyle.CYAN,
        AttributedStyle.BRIGHT + AttributedStyle.YELLOW, AttributedStyle.BRIGHT + AttributedStyle.BLUE,
    };

    private final boolean colour;
    private final Clock clock;

    /**
     * @param colour whether to style at all
     * @param clock  the clock for a time in front of every line; null for none
     */
    FrameStyle(boolean colour, Clock clock) {
        this.colour = colour;
        this.clock = clock;
    }

    /** A frame from the server; {@code me} is our current name, to tell our messages from others' (null if unknown). */
    AttributedString format(String payload, String me) {
        AttributedStringBuilder line = timed();
        String text = VisibleText.of(payload);
        Matcher message = MESSAGE.matcher(text);
        if (message.matches()) {
            String name = message.group(1);
            boolean own = name.equalsIgnoreCase(me);
            AttributedStyle body = style(own ? AttributedStyle.BOLD : AttributedStyle.DEFAULT);
            AttributedStyle nameStyle = style(own ? colourOf(name).bold() : colourOf(name));
            line.append("[", body).append(name, nameStyle).append("] ", body).append(message.group(2), body);
        } else if (text.startsWith("* ")) {
            line.append(text, style(AttributedStyle.DEFAULT.faint()));
        } else if (text.startsWith("!error")) {
            line.append(text, style(AttributedStyle.DEFAULT.foreground(AttributedStyle.RED)));
        } else if (text.startsWith("!")) {
            line.append(text, style(AttributedStyle.DEFAULT.italic()));
        } else {
            line.append(text);
        }
        return line.toAttributedString();
    }

    /** A line the client says itself, not the server: the help, a line it refused to send. */
    AttributedString local(String text) {
        return timed().append(text, style(AttributedStyle.DEFAULT.faint().italic())).toAttributedString();
    }

    /** The prompt: our name in its colour, or a bare {@code >} before the welcome names us. */
    AttributedString prompt(String me) {
        AttributedStringBuilder prompt = new AttributedStringBuilder();
        if (me != null) {
            prompt.append(me, style(colourOf(me).bold()));
        }
        return prompt.append("> ").toAttributedString();
    }

    private static AttributedStyle colourOf(String name) {
        int colourIndex = Math.floorMod(name.toLowerCase(Locale.ROOT).hashCode(), NAME_COLOURS.length);
        return AttributedStyle.DEFAULT.foreground(NAME_COLOURS[colourIndex]);
    }

    private AttributedStyle style(AttributedStyle style) {
        return colour ? style : AttributedStyle.DEFAULT;
    }

    private AttributedStringBuilder timed() {
        AttributedStringBuilder line = new AttributedStringBuilder();
        if (clock != null) {
            line.append(LocalTime.now(clock).format(TIME) + " ", style(AttributedStyle.DEFAULT.faint()));
        }
        return line;
    }
}

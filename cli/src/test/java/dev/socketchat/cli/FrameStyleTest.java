package dev.socketchat.cli;

import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** How frames look: the exact text, a style per kind of frame, a stable colour per name. */
class FrameStyleTest {

    private final FrameStyle colour = new FrameStyle(true, null);

    @Test
    void showsEveryFrameExactlyWithItsControlCharactersSpelledOut() {
        assertThat(colour.format("[bob] a\u001B[2Jb\nc", "alice").toString()).isEqualTo("[bob] a^[[2Jb^Jc");
        assertThat(new FrameStyle(false, null).format("* x\u0007", null).toString()).isEqualTo("* x^G");
    }

    @Test
    void ownMessagesOthersNoticesRepliesAndErrorsEachLookDifferent() {
        AttributedStyle own = styleAt(colour.format("[alice] hi", "alice"), 1);
        AttributedStyle others = styleAt(colour.format("[bob] hi", "alice"), 1);
        AttributedStyle notice = styleAt(colour.format("* bob joined", "alice"), 1);
        AttributedStyle reply = styleAt(colour.format("!pong 1", "alice"), 1);
        AttributedStyle error = styleAt(colour.format("!error name taken: bob", "alice"), 1);
        AttributedStyle local = styleAt(colour.local("!who              who is here"), 1);

        assertThat(Set.of(own, others, notice, reply, error, local)).hasSize(6);
        assertThat(styleAt(colour.format("[alice] hi", "alice"), "[alice] ".length()))
                .isNotEqualTo(styleAt(colour.format("[bob] hi", "alice"), "[bob] ".length()));
        assertThat(error).isEqualTo(AttributedStyle.DEFAULT.foreground(AttributedStyle.RED));
    }

    @Test
    void aNameHasTheSameColourWhoeverShowsIt() {
        AttributedStyle inOneClient = styleAt(colour.format("[Bob] hi", "alice"), 1);
        AttributedStyle inAnother = styleAt(new FrameStyle(true, null).format("[bob] hey", "carol"), 1);
        assertThat(inOneClient).isEqualTo(inAnother).isNotEqualTo(AttributedStyle.DEFAULT);
    }

    @Test
    void guestsWhoJoinOneAfterAnotherGetHuesThatDifferNotABrightTwin() {
        Set<Integer> hues = new HashSet<>();
        for (int guest = 1; guest <= 5; guest++) {
            String ansi = colour.format("[guest-" + guest + "] hi", "alice").toAnsi();
            Matcher foreground = Pattern.compile("\u001B\\[(?:\\d+;)*([39][0-7])m").matcher(ansi);
            assertThat(foreground.find()).as("a foreground colour in %s", ansi).isTrue();
            hues.add(Integer.parseInt(foreground.group(1)) % 10); // 32 green, 92 bright green: hue 2
        }
        assertThat(hues).as("hues of guest-1 to guest-5").hasSize(5).doesNotContain(1); // red is for errors
    }

    @Test
    void withoutColourEveryLineIsPlainText() {
        FrameStyle plain = new FrameStyle(false, null);
        for (String payload : new String[] {"[alice] hi", "[bob] hi", "* bob joined", "!who a,b", "!error x"}) {
            AttributedString line = plain.format(payload, "alice");
            assertThat(line.toAnsi()).isEqualTo(payload);
        }
        assertThat(plain.prompt("alice").toAnsi()).isEqualTo("alice> ");
    }

    @Test
    void timestampsPutTheTimeOfArrivalInFront() {
        Clock clock = Clock.fixed(Instant.parse("2026-01-02T07:05:09Z"), ZoneOffset.UTC);
        assertThat(new FrameStyle(false, clock).format("[bob] hi", null).toString()).isEqualTo("07:05:09 [bob] hi");
    }

    private static AttributedStyle styleAt(AttributedString line, int index) {
        return line.styleAt(index);
    }
}

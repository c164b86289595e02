package dev.socketchat.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;

import static dev.socketchat.protocol.WireBytes.bytes;
import static dev.socketchat.protocol.WireBytes.concat;
import static dev.socketchat.protocol.WireBytes.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

class FrameHeaderTest {

    private static final int MAX = 1_048_576;

    @Test
    void writesTheDigitsFirstWithoutLeadingZerosThenSpaces() {
        byte[] header = new byte[FrameHeader.LENGTH];

        FrameHeader.write(12, header, 0);

        assertThat(new String(header, StandardCharsets.US_ASCII)).isEqualTo("12" + " ".repeat(62));
    }

    @Test
    void writesZeroAsASingleDigit() {
        byte[] header = new byte[FrameHeader.LENGTH];

        FrameHeader.write(0, header, 0);

        assertThat(new String(header, StandardCharsets.US_ASCII)).isEqualTo("0" + " ".repeat(63));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 9, 10, 69, 4096, MAX})
    void readsBackWhatItWrites(int length) throws ProtocolException {
        byte[] header = new byte[FrameHeader.LENGTH];
        FrameHeader.write(length, header, 0);

        assertThat(FrameHeader.parse(header, 0, MAX)).isEqualTo(length);
    }

    @ParameterizedTest
    @MethodSource("lenientButValidHeaders")
    void acceptsOneRunOfDigitsWhereverItStands(byte[] header, int expected) throws ProtocolException {
        assertThat(FrameHeader.parse(header, 0, MAX)).isEqualTo(expected);
    }

    static Stream<Arguments> lenientButValidHeaders() {
        return Stream.of(
                argumentSet("digits first", header("5"), 5),
                argumentSet("leading spaces", header("   5"), 5),
                argumentSet("leading zeros", header("0005"), 5),
                argumentSet("only zeros", header("000"), 0),
                argumentSet("digits last", header(" ".repeat(62) + "42"), 42),
                argumentSet("64 zeros", header("0".repeat(64)), 0),
                argumentSet("62 zeros then a value", header("0".repeat(62) + "17"), 17));
    }

    @Test
    void parsesAHeaderAtAnOffsetInsideALargerArray() throws ProtocolException {
        byte[] bytes = concat(bytes('x', 'y', 'z'), header("321"), bytes('x'));

        assertThat(FrameHeader.parse(bytes, 3, MAX)).isEqualTo(321);
    }

    @ParameterizedTest
    @MethodSource("malformedHeaders")
    void refusesAHeaderThatBreaksTheGrammar(byte[] header, String detail) {
        assertThatThrownBy(() -> FrameHeader.parse(header, 0, MAX))
                .isInstanceOf(MalformedHeaderException.class)
                .hasMessage("malformed header: " + detail);
    }

    static Stream<Arguments> malformedHeaders() {
        return Stream.of(
                argumentSet("a letter", header("12a"), "unexpected byte 'a' (0x61) at byte 2"),
                argumentSet("a letter first", header("x5"), "unexpected byte 'x' (0x78) at byte 0"),
                argumentSet("a plus sign", header("+5"), "unexpected byte '+' (0x2B) at byte 0"),
                argumentSet("a minus sign", header("-5"), "unexpected byte '-' (0x2D) at byte 0"),
                argumentSet("all blank", header(""), "no length digits"),
                argumentSet("two runs of digits", header("12 34"), "a second run of digits at byte 3"),
                argumentSet("a tab", header("5\t"), "unexpected byte (0x09) at byte 1"),
                argumentSet("a NUL", header(bytes('5', 0)), "unexpected byte (0x00) at byte 1"),
                argumentSet("all NUL", new byte[FrameHeader.LENGTH], "unexpected byte (0x00) at byte 0"),
                argumentSet("a line feed", header("5\n"), "unexpected byte (0x0A) at byte 1"),
                argumentSet("Arabic-Indic five (U+0665)", header(bytes(0xD9, 0xA5)),
                        "unexpected byte (0xD9) at byte 0"),
                argumentSet("fullwidth five (U+FF15)", header(bytes(0xEF, 0xBC, 0x95)),
                        "unexpected byte (0xEF) at byte 0"),
                argumentSet("a decimal point", header("5.0"), "unexpected byte '.' (0x2E) at byte 1"));
    }

    @Test
    void refusesSixtyFourDigitsAsTooLargeWithoutOverflowing() {
        byte[] header = new byte[FrameHeader.LENGTH];
        Arrays.fill(header, (byte) '9');

        assertThatThrownBy(() -> FrameHeader.parse(header, 0, MAX))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessage("payload too large: 99999999999999999999... (64 digits) bytes announced, "
                        + "the maximum is 1048576");
    }

    @Test
    void refusesAValueThatWouldOverflowALongAsTooLarge() {
        // 2^64 + 5: a parser that let the value wrap around would read 5.
        byte[] header = header("18446744073709551621");

        assertThatThrownBy(() -> FrameHeader.parse(header, 0, Integer.MAX_VALUE))
                .isInstanceOf(PayloadTooLargeException.class);
    }

    @Test
    void acceptsExactlyTheMaximum() throws ProtocolException {
        assertThat(FrameHeader.parse(header(Integer.toString(MAX)), 0, MAX)).isEqualTo(MAX);
    }

    @Test
    void refusesOneOverTheMaximum() {
        assertThatThrownBy(() -> FrameHeader.parse(header(Integer.toString(MAX + 1)), 0, MAX))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessage("payload too large: 1048577 bytes announced, the maximum is 1048576");
    }

    @Test
    void refusesAnyPayloadWhenTheMaximumIsZero() throws ProtocolException {
        assertThat(FrameHeader.parse(header("0"), 0, 0)).isZero();
        assertThatThrownBy(() -> FrameHeader.parse(header("1"), 0, 0))
                .isInstanceOf(PayloadTooLargeException.class);
    }
}

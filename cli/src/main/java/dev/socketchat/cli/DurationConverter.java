package dev.socketchat.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a duration from the command line: a whole number with its unit, {@code ms}, {@code s} or
 * {@code m} ({@code 500ms}, {@code 10s}, {@code 5m}). The unit is required: a bare {@code 10} could
 * mean seconds or milliseconds, and guessing wrong by a factor of a thousand is worse than asking.
 */
final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m)");

    @Override
    public Duration convert(String value) {
        Matcher matcher = DURATION.matcher(value.strip());
        if (!matcher.matches()) {
            throw new TypeConversionException(
                    "'" + value + "' is not a duration: give a number and a unit, e.g. 500ms, 10s, 5m");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
        };
    }
}

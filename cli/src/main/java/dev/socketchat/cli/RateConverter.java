package dev.socketchat.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a message rate from the command line as frames a second, {@code 20/s}: the unit is written
 * out so that nobody mistakes the number for a count per minute or a total.
 */
final class RateConverter implements ITypeConverter<Integer> {

    private static final Pattern RATE = Pattern.compile("(\\d{1,9})/s");

    @Override
    public Integer convert(String value) {
        Matcher matcher = RATE.matcher(value.strip());
        if (!matcher.matches()) {
            throw new TypeConversionException("'" + value + "' is not a rate: give frames a second, e.g. 20/s");
        }
        return Integer.parseInt(matcher.group(1));
    }
}

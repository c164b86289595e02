package dev.socketchat.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a size in bytes from the command line: a byte count ({@code 1048576}) or a count of
 * binary units ({@code 512KiB}, {@code 1MiB}). Binary units only, so that {@code 1MiB} is exactly
 * the protocol's default maximum payload of 1,048,576 bytes.
 */
final class SizeConverter implements ITypeConverter<Long> {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})(KiB|MiB)?");

    @Override
    public Long convert(String value) {
        Matcher matcher = SIZE.matcher(value.strip());
        if (!matcher.matches()) {
            throw new TypeConversionException(
                    "'" + value + "' is not a size: give bytes or KiB/MiB, e.g. 1048576, 512KiB, 1MiB");
        }
        long count = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2);
        long multiplier = unit == null ? 1 : unit.equals("KiB") ? 1024 : 1024 * 1024;
        return count * multiplier;
    }
}

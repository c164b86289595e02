package dev.socketchat.protocol;

/**
 * The 64-byte header is not one run of ASCII digits with optional spaces around it: for example a
 * letter, a sign, a tab, a NUL, a non-ASCII digit, two runs of digits, or no digit at all.
 */
public final class MalformedHeaderException extends ProtocolException {

    private static final long serialVersionUID = 1L;

    public MalformedHeaderException(String detail) {
        super("malformed header: " + detail);
    }
}

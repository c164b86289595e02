package dev.socketchat.protocol;

/**
 * The payload is not well-formed UTF-8: an invalid byte, a truncated or overlong sequence, or an
 * encoded surrogate.
 */
public final class MalformedPayloadException extends ProtocolException {

    private static final long serialVersionUID = 1L;

    public MalformedPayloadException(String detail) {
        super("invalid UTF-8 in payload: " + detail);
    }
}

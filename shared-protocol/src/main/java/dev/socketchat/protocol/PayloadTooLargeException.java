package dev.socketchat.protocol;

/**
 * The header announces more payload bytes than the reader accepts. Raised from the header alone,
 * before any payload is read or allocated.
 */
public final class PayloadTooLargeException extends ProtocolException {

    private static final long serialVersionUID = 1L;

    public PayloadTooLargeException(String announced, int maxPayload) {
        super("payload too large: " + announced + " bytes announced, the maximum is " + maxPayload);
    }
}

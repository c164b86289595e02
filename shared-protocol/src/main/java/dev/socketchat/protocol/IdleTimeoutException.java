package dev.socketchat.protocol;

/** No byte at all arrived within the idle timeout; clients stay by sending empty frames. */
public final class IdleTimeoutException extends ProtocolException {

    private static final long serialVersionUID = 1L;

    public IdleTimeoutException() {
        super("idle timeout");
    }
}

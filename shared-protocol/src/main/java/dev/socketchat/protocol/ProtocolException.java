package dev.socketchat.protocol;

import java.io.IOException;

/**
 * A peer broke the protocol (docs/protocol.md §2 and §7); the connection that caused it is closed.
 *
 * <p>Each kind of fault is its own subclass so that code and tests can tell them apart, and each
 * carries a {@linkplain #reason() reason}: the short, human-readable text that the server sends in
 * {@code !error <reason>} before it closes the connection.
 */
public abstract sealed class ProtocolException extends IOException
        permits MalformedHeaderException, PayloadTooLargeException, MalformedPayloadException,
                TruncatedFrameException, FrameTimeoutException, IdleTimeoutException {

    private static final long serialVersionUID = 1L;

    protected ProtocolException(String reason) {
        super(reason);
    }

    /** What went wrong, as the text of an {@code !error} frame. */
    public String reason() {
        return getMessage();
    }
}

package dev.socketchat.protocol;

/** The stream ended after a frame had started but before it was complete. */
public final class TruncatedFrameException extends ProtocolException {

    private static final long serialVersionUID = 1L;

    public TruncatedFrameException(int received, int expected) {
        super("connection closed mid-frame: " + received + " of " + expected + " bytes received");
    }
}

package dev.socketchat.protocol;

/**
 * A frame was started but not finished within the frame timeout: the defence against clients that
 * trickle a frame byte by byte to hold a connection open (slowloris).
 */
public final class FrameTimeoutException extends ProtocolException {

    private static final long serialVersionUID = 1L;

    public FrameTimeoutException() {
        super("frame timeout");
    }
}

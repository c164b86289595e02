package dev.socketchat.bench;

import dev.socketchat.nio.NioSelectorServer;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerOptions;

/**
 * Lesson 04 with write coalescing switched off: a write call per frame instead of one gathering
 * write for everything queued to a client (the lesson's server, told that a write takes one frame).
 * It is not a lesson and is not registered; it exists so that the benchmarks can show what
 * coalescing buys, measured next to lesson 04.
 */
final class OneWritePerFrameModel implements ServerModel {

    @Override
    public String name() {
        return "nio-selector-one-write-per-frame";
    }

    @Override
    public String summary() {
        return "lesson 04 writing each frame with its own write() call, to measure what coalescing buys";
    }

    @Override
    public int lesson() {
        return 4;
    }

    @Override
    public ChatServer create(ServerOptions options, ServerConsole console) {
        return new OneWritePerFrameServer(options, console);
    }

    /** Lesson 04's server, told that a write call takes one frame. */
    private static final class OneWritePerFrameServer extends NioSelectorServer {

        OneWritePerFrameServer(ServerOptions options, ServerConsole console) {
            super(options, console);
        }

        @Override
        protected int framesPerWrite() {
            return 1;
        }
    }
}

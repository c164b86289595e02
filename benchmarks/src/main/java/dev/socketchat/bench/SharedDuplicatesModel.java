package dev.socketchat.bench;

import dev.socketchat.netty.Burst;
import dev.socketchat.netty.NettyModel;
import dev.socketchat.netty.NettyServer;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ModelSetting;
import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerOptions;
import io.netty.buffer.ByteBufAllocator;

import java.util.Set;

/**
 * Lesson 08 broadcasting the way Netty's documentation does: each frame in one direct buffer shared
 * by every recipient, a retained duplicate per recipient, one message per frame in each channel's
 * outbound buffer ({@link SharedDuplicatesBurst}). Measured next to {@code netty}, which
 * copies each burst into one buffer, it shows what the bookkeeping per message costs against the
 * copy it saves. Not a lesson and not registered.
 */
final class SharedDuplicatesModel implements ServerModel {

    /** The lesson it configures: its lesson number and the settings its server reads are the same. */
    private static final ServerModel LESSON = new NettyModel();

    @Override
    public String name() {
        return "netty-shared-duplicates";
    }

    @Override
    public String summary() {
        return "lesson 08 writing a retained duplicate of one shared buffer per frame, to compare with its copy per burst";
    }

    @Override
    public int lesson() {
        return LESSON.lesson();
    }

    @Override
    public Set<ModelSetting<?>> settings() {
        return LESSON.settings();
    }

    @Override
    public ChatServer create(ServerOptions options, ServerConsole console) {
        return new SharedDuplicatesServer(options, console);
    }

    /** Lesson 08's server with the experiment's bursts, and the buffer they share, which it releases. */
    private static final class SharedDuplicatesServer extends NettyServer {

        private final SharedFrames shared = new SharedFrames(ByteBufAllocator.DEFAULT);

        SharedDuplicatesServer(ServerOptions options, ServerConsole console) {
            super(options, console);
        }

        @Override
        protected Burst newBurst() {
            return new SharedDuplicatesBurst(shared);
        }

        @Override
        public void stop() {
            super.stop();
            shared.release(); // the last broadcast's buffer, once no member can take a duplicate of it
        }
    }
}

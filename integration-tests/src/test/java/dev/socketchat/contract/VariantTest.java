package dev.socketchat.contract;

import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ModelSetting;
import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerOptions;
import dev.socketchat.server.Transport;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.util.OptionalInt;
import java.util.function.BiFunction;
import java.util.function.ToIntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the suite decides, from a model's declared limit alone, whether a test runs and with which pool. */
class VariantTest {

    private static final ServerOptions WANTED = Contract.baseOptions();

    @Test
    void modelWithoutALimitRunsEveryTestWithTheOptionsAsTheyAre() {
        Variant unlimited = new Variant(model("unlimited", options -> -1));

        assertThat(unlimited.fit(WANTED, 500)).isEqualTo(WANTED);
    }

    @Test
    void poolIsRaisedAsTheModelSaysWhenItsDefaultIsTooSmall() {
        Variant pool = new Variant(model("pool",
                options -> options.get(ModelSetting.THREADS) == 0 ? 2 : options.get(ModelSetting.THREADS) / 2,
                (clients, options) -> options.with(ModelSetting.THREADS, 2 * clients)));

        assertThat(pool.fit(WANTED, 2)).as("the default pool serves 2").isEqualTo(WANTED);
        assertThat(pool.fit(WANTED, 40).get(ModelSetting.THREADS)).isEqualTo(80);
    }

    @Test
    void modelThatCannotBeRaisedFarEnoughSkipsTheTestWithTheReason() {
        Variant capped = new Variant(model("capped-pool", options -> Math.min(10, options.get(ModelSetting.THREADS)),
                (clients, options) -> options.with(ModelSetting.THREADS, clients)));

        assertThatThrownBy(() -> capped.fit(WANTED, 40))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("capped-pool serves 10 clients at a time; this test needs 40");
    }

    @Test
    void fixedLimitSkipsTheTestWithTheReason() {
        Variant single = new Variant(model("single-threaded", options -> 1));

        assertThat(single.fit(WANTED, 1)).isEqualTo(WANTED);
        assertThatThrownBy(() -> single.fit(WANTED, 3))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("single-threaded serves 1 client at a time; this test needs 3");
    }

    @Test
    void modelsOwnLimitIsSetWhereTheModelCanSetItAndTheTestSkippedWhereItCannot() {
        Variant pool = new Variant(model("pool", options -> options.get(ModelSetting.THREADS) / 2,
                (clients, options) -> options.with(ModelSetting.THREADS, 2 * clients)));
        Variant unlimited = new Variant(model("unlimited", options -> -1));
        Variant single = new Variant(model("single-threaded", options -> 1));

        assertThat(pool.limitedTo(2, WANTED).get(ModelSetting.THREADS)).isEqualTo(4);
        assertThatThrownBy(() -> unlimited.limitedTo(2, WANTED))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("unlimited has no limit of its own");
        assertThatThrownBy(() -> single.limitedTo(2, WANTED))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("single-threaded serves 1 client at a time whatever its options");
    }

    @Test
    void variantOnATransportOfItsOwnRunsEveryTestOnItAndSaysSoInItsName() {
        ServerModel model = model("framework", options -> -1);
        Variant onNio = new Variant(model, Transport.NIO);

        assertThat(onNio.name()).isEqualTo("framework --transport nio");
        assertThat(onNio.cliOptions()).containsExactly("--transport", "nio");
        assertThat(new Variant(model).cliOptions()).isEmpty();
        assertThat(onNio.fit(WANTED, 500).get(ModelSetting.TRANSPORT)).isEqualTo(Transport.NIO);
        assertThat(new Variant(model).fit(WANTED, 500).get(ModelSetting.TRANSPORT))
                .isEqualTo(WANTED.get(ModelSetting.TRANSPORT));
    }

    /** A model whose limit is {@code limit} applied to the options; negative means no limit of its own. */
    private static ServerModel model(String name, ToIntFunction<ServerOptions> limit) {
        return model(name, limit, (clients, options) -> options);
    }

    /** The same, with {@code raise} as the model's {@link ServerModel#optionsToServe}. */
    private static ServerModel model(String name, ToIntFunction<ServerOptions> limit,
                                     BiFunction<Integer, ServerOptions, ServerOptions> raise) {
        return new ServerModel() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String summary() {
                return "a stand-in with a declared limit";
            }

            @Override
            public int lesson() {
                return 0;
            }

            @Override
            public ChatServer create(ServerOptions options, ServerConsole console) {
                throw new UnsupportedOperationException("never started");
            }

            @Override
            public ServerOptions optionsToServe(int clients, ServerOptions options) {
                return raise.apply(clients, options);
            }

            @Override
            public OptionalInt concurrentClientLimit(ServerOptions options) {
                int value = limit.applyAsInt(options);
                return value < 0 ? OptionalInt.empty() : OptionalInt.of(value);
            }
        };
    }
}

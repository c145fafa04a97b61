package io.msf.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.msf.concurrent.testing.OwnLoader;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The thread that builds codecs ahead keeps no class loader of the bundle whose call made it: it
 * lives on while builds come (and a second after), and a loader it held would stay in memory after
 * its bundle is updated or uninstalled. A thread made on another's stack keeps (on Java 17) the
 * protection domains of the classes on it, each with its class loader, and copies the inheritable
 * thread locals of the thread that makes it.
 */
class CodecBuilderThreadTest {

    private static final InheritableThreadLocal<Object> INHERITED = new InheritableThreadLocal<>();

    private static volatile CountDownLatch builderBusy;
    private static volatile CountDownLatch builderFree;

    @Test
    void theBuilderKeepsNoLoaderOfAClassThatMadeAnInterfaceCallable() throws Exception {
        awaitNoBuilder(); // made by the call below
        awaitCollectedWhileTheBuilderRuns(madeCallableFromALoaderOfItsOwn());
    }

    @Test
    void theBuilderKeepsNoInheritableThreadLocalOfTheThreadThatMadeIt() throws Exception {
        awaitNoBuilder(); // made by the call below
        awaitCollectedWhileTheBuilderRuns(madeCallableWithAnInheritedValueOfALoaderOfItsOwn());
    }

    /** Apart, so that no variable of the test's frame keeps the loader. */
    private static WeakReference<ClassLoader> madeCallableFromALoaderOfItsOwn() throws Exception {
        OwnLoader loader = new OwnLoader();
        Function<Supplier<Object>, Object> frame = loader.frame();
        holdTheBuilder(() -> frame.apply(() -> RpcInterface.of(Busy.class)));
        return new WeakReference<>(loader);
    }

    private static WeakReference<ClassLoader> madeCallableWithAnInheritedValueOfALoaderOfItsOwn() throws Exception {
        OwnLoader loader = new OwnLoader();
        INHERITED.set(loader.frame());
        try {
            holdTheBuilder(() -> RpcInterface.of(Busy.class));
        } finally {
            INHERITED.remove();
        }
        return new WeakReference<>(loader);
    }

    /** Makes an interface callable by {@code made}, whose codec build holds the builder until released. */
    private static void holdTheBuilder(Runnable made) throws InterruptedException {
        builderBusy = new CountDownLatch(1);
        builderFree = new CountDownLatch(1);
        made.run();
        builderBusy.await();
    }

    private static void awaitCollectedWhileTheBuilderRuns(WeakReference<ClassLoader> gone) {
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                System.gc();
                return gone.get() == null;
            });
            assertThat(builderRuns()).isTrue();
        } finally {
            builderFree.countDown();
        }
    }

    private static void awaitNoBuilder() {
        await().atMost(Duration.ofSeconds(10)).until(() -> !builderRuns());
    }

    private static boolean builderRuns() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals(RpcInterface.BUILDER));
    }

    /** An interface whose codec holds the builder until the test lets it go. */
    public interface Busy {
        String read(Held value);
    }

    /** Its serializer waits as it is made. */
    @JsonSerialize(using = HoldingWriter.class)
    public record Held() {
    }

    /** Jackson's: made on the builder, which it holds. */
    public static final class HoldingWriter extends StdSerializer<Held> {
        public HoldingWriter() throws InterruptedException {
            super(Held.class);
            builderBusy.countDown();
            builderFree.await();
        }

        @Override
        public void serialize(Held value, JsonGenerator out, SerializerProvider provider) {
        }
    }
}

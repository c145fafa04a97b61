package io.msf.event.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.event.api.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A loop's thread is started by the first task given to it, on the thread of whichever bundle gave it,
 * and lives as long as its group, the container's life: it must keep nothing of that bundle, whose
 * class loader would otherwise stay in memory after the bundle is updated or uninstalled.
 */
class LoopThreadFactoryTest {

    private final NamedLoopGroup group = new NamedLoopGroup("io", Transport.NIO, 1);

    @AfterEach
    void stop() throws Exception {
        group.shutDown(0, 0, TimeUnit.MILLISECONDS).await(10, TimeUnit.SECONDS);
    }

    @Test
    void aLoopThreadHasNoContextClassLoaderOfTheThreadThatStartedIt() throws Exception {
        Thread submitter = Thread.currentThread();
        ClassLoader own = submitter.getContextClassLoader();
        submitter.setContextClassLoader(new ClassLoader(null) { });
        io.netty.util.concurrent.Future<ClassLoader> seen;
        try {
            seen = group.group().submit(() -> Thread.currentThread().getContextClassLoader());
        } finally {
            submitter.setContextClassLoader(own);
        }

        assertThat(seen.get(5, TimeUnit.SECONDS)).isNull();
    }

    /** On Java 17 a thread keeps the protection domains of the classes on its maker's stack, each with its loader. */
    @Test
    void aLoopThreadKeepsNoLoaderOfAClassThatStartedIt() throws Exception {
        WeakReference<ClassLoader> gone = submitFromALoaderOfItsOwn();

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return gone.get() == null;
        });
        assertThat(group.group().submit(() -> "still running").get(5, TimeUnit.SECONDS)).isEqualTo("still running");
    }

    private WeakReference<ClassLoader> submitFromALoaderOfItsOwn() throws Exception {
        OwnLoader loader = new OwnLoader();
        @SuppressWarnings("unchecked")
        Function<Supplier<Object>, Object> frame = (Function<Supplier<Object>, Object>) loader
                .loadClass(SubmitterFrame.class.getName()).getConstructor().newInstance();
        assertThat(frame.getClass().getClassLoader()).isSameAs(loader);
        io.netty.util.concurrent.Future<?> ran = (io.netty.util.concurrent.Future<?>) frame
                .apply(() -> group.group().submit(() -> { }));
        ran.get(5, TimeUnit.SECONDS);
        return new WeakReference<>(loader);
    }

    /** Defines {@link SubmitterFrame} itself, as a bundle's class loader defines the bundle's classes. */
    private static final class OwnLoader extends ClassLoader {
        OwnLoader() {
            super(LoopThreadFactoryTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(SubmitterFrame.class.getName())) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded != null) {
                    return loaded;
                }
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    byte[] bytes = in.readAllBytes();
                    return defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
        }
    }
}

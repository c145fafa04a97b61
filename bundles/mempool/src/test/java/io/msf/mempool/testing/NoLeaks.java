package io.msf.mempool.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector found a buffer that was never released. The
 * detector runs at PARANOID (tracks every buffer, set by the pom) but only logs what it finds,
 * and only when a later allocation polls its queue: this extension records its reports instead,
 * and after the class forces a few collections and allocations so that leaks surface.
 *
 * <p>Its factory must be in place before Netty creates its detectors (at the first buffer): each
 * module whose tests make buffers registers it for all of its test classes (JUnit's extension
 * autodetection: {@code META-INF/services/org.junit.jupiter.api.extension.Extension} and
 * {@code junit-platform.properties} in its test resources), so its static initializer runs before
 * any test code. A detector made before it would be Netty's own, which only logs: every class
 * checks that the detector is this one.
 */
public final class NoLeaks implements AfterAllCallback {

    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                    long maxActive) {
                return new Recording<>(resource, samplingInterval);
            }
        });
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        Field detector = AbstractByteBuf.class.getDeclaredField("leakDetector");
        detector.setAccessible(true);
        assertThat(detector.get(null)).as("the buffers' leak detector: a test class that makes buffers without"
                + " NoLeaks ran before the first with it").isInstanceOf(Recording.class);
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
            for (int j = 0; j < 100; j++) {
                ByteBuf probe = PooledByteBufAllocator.DEFAULT.buffer(16);
                probe.release();
            }
        }
        List<String> found = List.copyOf(LEAKS);
        LEAKS.clear();
        assertThat(found).as("buffers never released").isEmpty();
    }

    private static final class Recording<T> extends ResourceLeakDetector<T> {
        Recording(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add(resourceType + " leaked:" + records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add(resourceType + " leaked (no records)");
        }
    }
}

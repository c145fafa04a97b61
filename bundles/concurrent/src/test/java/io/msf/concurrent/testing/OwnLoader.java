package io.msf.concurrent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A class loader that defines some classes itself, as a bundle's class loader defines the bundle's
 * classes, and leaves every other class to the loader of the tests: for tests that a thread which
 * outlives a call keeps no class loader of the caller (collected once nothing holds it). By default
 * it defines {@link CallerFrame} alone. Shipped in this module's test-jar.
 */
public final class OwnLoader extends ClassLoader {

    private final Predicate<String> defines;

    /** A loader that defines {@link CallerFrame} itself, for {@link #frame()}. */
    public OwnLoader() {
        this(CallerFrame.class.getName()::equals);
    }

    /** A loader that defines itself the classes whose binary names {@code defines} accepts. */
    public OwnLoader(Predicate<String> defines) {
        super(OwnLoader.class.getClassLoader());
        this.defines = defines;
    }

    /** Accepts the binary name of {@code type} and those of the classes nested in it. */
    public static Predicate<String> classAndNested(Class<?> type) {
        String name = type.getName();
        return candidate -> candidate.equals(name) || candidate.startsWith(name + "$");
    }

    /** A new {@link CallerFrame} of this loader's own class: a call through it has this loader on its stack. */
    @SuppressWarnings("unchecked")
    public Function<Supplier<Object>, Object> frame() throws ReflectiveOperationException {
        Object frame = loadClass(CallerFrame.class.getName()).getConstructor().newInstance();
        if (frame.getClass().getClassLoader() != this) {
            throw new IllegalStateException("CallerFrame was not defined by its own loader");
        }
        return (Function<Supplier<Object>, Object>) frame;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!defines.test(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded != null) {
                return loaded;
            }
            try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                if (in == null) {
                    throw new ClassNotFoundException(name + ": no class file beside OwnLoader");
                }
                byte[] bytes = in.readAllBytes();
                return defineClass(name, bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }
}

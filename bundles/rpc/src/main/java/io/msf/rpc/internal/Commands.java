package io.msf.rpc.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.StringJoiner;

/**
 * Maps methods to command numbers (the contract is in {@link io.msf.rpc.api.Rpc}'s comment).
 *
 * <p>SHA-256 rather than {@link String#hashCode()}: both are the same on every JVM, but
 * {@code hashCode} collides on look-alike names ({@code "Aa"} and {@code "BB"}), which are common among
 * methods of one interface, while a cryptographic digest spreads any two names evenly.
 */
public final class Commands {

    private static final int COMMAND_BITS = 0x7FFF_FFFF;

    private Commands() {
    }

    /** See {@link io.msf.rpc.api.Rpc#command(Method)}. */
    public static int command(Method method) {
        return command(method.getDeclaringClass(), method);
    }

    /** See {@link io.msf.rpc.api.Rpc#command(Class, Method)}. */
    public static int command(Class<?> iface, Method method) {
        if (!isRemote(method)) {
            throw new IllegalArgumentException(method + " is not a remote operation (static, default or an"
                    + " Object method)");
        }
        if (!iface.isInterface()) {
            throw new IllegalArgumentException(iface.getName() + " is not an interface");
        }
        if (!method.getDeclaringClass().isAssignableFrom(iface)) {
            throw new IllegalArgumentException(method + " is not a method of " + iface.getName());
        }
        return command(MemberTypes.of(iface).resolve(method).signature());
    }

    /** True for the methods that become commands: abstract, and not one of {@link Object}'s. */
    static boolean isRemote(Method method) {
        return Modifier.isAbstract(method.getModifiers()) && !isObjectMethod(method);
    }

    /**
     * {@code toString}, {@code equals}, {@code hashCode}... even when an interface redeclares them; and
     * the protected {@code clone()} and {@code finalize()}, which an interface may declare public.
     */
    static boolean isObjectMethod(Method method) {
        return objectMethod(method) != null;
    }

    /** True for {@code clone()} and {@code finalize()}: Object's, but not public, so a proxy would send them. */
    static boolean isProtectedObjectMethod(Method method) {
        Method own = objectMethod(method);
        return own != null && Modifier.isProtected(own.getModifiers());
    }

    private static Method objectMethod(Method method) {
        try {
            Method own = Object.class.getDeclaredMethod(method.getName(), method.getParameterTypes());
            return Modifier.isPrivate(own.getModifiers()) ? null : own;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /**
     * {@code name(type,type)} with the declared types erased, e.g. {@code search(java.lang.String,int[])}:
     * how Java tells methods apart. The command's is the same with the types the interface gives
     * inherited type variables ({@link ResolvedMethod#signature()}).
     */
    static String signature(Method method) {
        return signature(method.getName(), method.getParameterTypes());
    }

    static String signature(String name, Class<?>[] parameterTypes) {
        StringJoiner signature = new StringJoiner(",", name + "(", ")");
        for (Class<?> type : parameterTypes) {
            signature.add(type.getTypeName());
        }
        return signature.toString();
    }

    static int command(String signature) {
        byte[] digest = sha256().digest(signature.getBytes(StandardCharsets.UTF_8));
        int value = (digest[0] & 0xFF) << 24 | (digest[1] & 0xFF) << 16 | (digest[2] & 0xFF) << 8 | digest[3] & 0xFF;
        return value & COMMAND_BITS;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}

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
        if (!isRemote(method)) {
            throw new IllegalArgumentException(method + " is not a remote operation (static, default or an"
                    + " Object method)");
        }
        return command(signature(method));
    }

    /** True for the methods that become commands: abstract, and not one of {@link Object}'s. */
    static boolean isRemote(Method method) {
        return Modifier.isAbstract(method.getModifiers()) && !isObjectMethod(method);
    }

    /** {@code toString}, {@code equals}, {@code hashCode}... even when an interface redeclares them. */
    static boolean isObjectMethod(Method method) {
        try {
            Object.class.getMethod(method.getName(), method.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** {@code name(type,type)} with erased type names, e.g. {@code search(java.lang.String,int[])}. */
    static String signature(Method method) {
        StringJoiner signature = new StringJoiner(",", method.getName() + "(", ")");
        for (Class<?> type : method.getParameterTypes()) {
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

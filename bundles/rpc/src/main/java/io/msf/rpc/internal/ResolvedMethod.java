package io.msf.rpc.internal;

import com.fasterxml.jackson.databind.JavaType;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.StringJoiner;

/**
 * A method with its types as one interface sees them ({@link MemberTypes}): as declared, or with the
 * type variables of a generic super-interface replaced by their types (then Jackson's
 * {@link JavaType}s, which Jackson takes back as they are).
 *
 * @param parameterClasses the erasures of {@code parameterTypes}: what the method's
 *     {@linkplain #signature() signature} names
 * @param returnClass the erasure of the resolved return type
 * @param async the return type is a CompletionStage or CompletableFuture
 * @param resultType what the call yields (a stage's value type when async, Object if the stage is raw);
 *     null for void and Void
 */
record ResolvedMethod(Method method, Type[] parameterTypes, Class<?>[] parameterClasses, Class<?> returnClass,
        boolean async, Type resultType) {

    /** Name and resolved parameter types, erased: what the command is the digest of. */
    String signature() {
        return Commands.signature(method.getName(), parameterClasses);
    }

    /** For messages: {@code Repository.get(String)}, where get is declared, with the types it takes here. */
    String display() {
        StringJoiner text = new StringJoiner(",", method.getDeclaringClass().getSimpleName() + "." + method.getName()
                + "(", ")");
        for (Class<?> type : parameterClasses) {
            text.add(type.getSimpleName());
        }
        return text.toString();
    }

    /** For messages: the full parameter types, {@code (java.util.List<java.lang.String>)}. */
    String parameterTypeNames() {
        StringJoiner text = new StringJoiner(",", "(", ")");
        for (Type type : parameterTypes) {
            text.add(type instanceof JavaType resolved ? resolved.toCanonical() : type.getTypeName());
        }
        return text.toString();
    }
}

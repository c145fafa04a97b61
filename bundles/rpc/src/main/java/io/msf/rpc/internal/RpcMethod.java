package io.msf.rpc.internal;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One remote operation of an interface: its command, its place among the interface's operations and
 * the generic types of its arguments and result, checked to be concrete. Plain reflection: the Jackson
 * readers and writers of these types are {@link RpcCodec}'s, built at the interface's first call.
 */
final class RpcMethod {

    private final Method method;
    private final int index;
    private final int command;
    private final boolean async;
    private final String display;
    private final Type[] parameterTypes;
    /** Null for void (and Void) results: nothing to write or read. */
    private final Type resultType;

    private RpcMethod(Method method, int index) {
        this.method = method;
        this.index = index;
        this.command = Commands.command(Commands.signature(method));
        this.async = method.getReturnType() == CompletionStage.class || method.getReturnType() == CompletableFuture.class;
        this.display = display(method);
        this.parameterTypes = method.getGenericParameterTypes();
        for (int i = 0; i < parameterTypes.length; i++) {
            concrete(parameterTypes[i], "parameter " + (i + 1));
        }
        Type result = concrete(yieldedType(method), "result");
        this.resultType = result == void.class || result == Void.class ? null : result;
    }

    /**
     * @param index the operation's place in its interface, from 0: where {@link RpcCodec} keeps its
     *     readers and writers
     * @throws IllegalArgumentException if a parameter or the result uses a type variable
     */
    static RpcMethod of(Method method, int index) {
        return new RpcMethod(method, index);
    }

    Method method() {
        return method;
    }

    int command() {
        return command;
    }

    /** Returns a CompletionStage or CompletableFuture. */
    boolean async() {
        return async;
    }

    /** For messages: {@code MediaLibrary.search(String,int)}. */
    String display() {
        return display;
    }

    int index() {
        return index;
    }

    int arity() {
        return parameterTypes.length;
    }

    Type parameterType(int index) {
        return parameterTypes[index];
    }

    /** Null for a void (or Void) result. */
    Type resultType() {
        return resultType;
    }

    @Override
    public String toString() {
        return display;
    }

    /** What the call yields: the stage's value type for an asynchronous method (Object if raw). */
    private Type yieldedType(Method method) {
        Type returned = method.getGenericReturnType();
        if (!async) {
            return returned;
        }
        return returned instanceof ParameterizedType stage ? stage.getActualTypeArguments()[0] : Object.class;
    }

    /**
     * Refuses type variables: Jackson would quietly decode them as their bound (maps and lists for
     * Object), so a call would "work" and hand back values of the wrong type.
     */
    private Type concrete(Type type, String what) {
        checkConcrete(type, type, what);
        return type;
    }

    private void checkConcrete(Type part, Type whole, String what) {
        if (part instanceof TypeVariable<?> variable) {
            throw new IllegalArgumentException(what + " of " + method.getDeclaringClass().getName() + "."
                    + method.getName() + " uses the type variable " + variable.getName() + " (" + whole.getTypeName()
                    + "): RPC types must be concrete");
        } else if (part instanceof ParameterizedType parameterized) {
            for (Type argument : parameterized.getActualTypeArguments()) {
                checkConcrete(argument, whole, what);
            }
        } else if (part instanceof GenericArrayType array) {
            checkConcrete(array.getGenericComponentType(), whole, what);
        } else if (part instanceof WildcardType wildcard) {
            for (Type bound : wildcard.getUpperBounds()) {
                checkConcrete(bound, whole, what);
            }
        }
    }

    private static String display(Method method) {
        StringJoiner text = new StringJoiner(",", method.getDeclaringClass().getSimpleName() + "." + method.getName() + "(",
                ")");
        for (Class<?> type : method.getParameterTypes()) {
            text.add(type.getSimpleName());
        }
        return text.toString();
    }
}

package io.msf.rpc.internal;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.type.TypeFactory;
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
 * One remote operation of an interface: its command and the Jackson readers and writers of its
 * arguments and result, built once from the method's generic types (ObjectReader and ObjectWriter are
 * immutable and thread-safe, and keep their (de)serializers once looked up).
 */
final class RpcMethod {

    private final Method method;
    private final int command;
    private final boolean async;
    private final String display;
    private final ObjectWriter[] argumentWriters;
    private final ObjectReader[] argumentReaders;
    /** Null for void (and Void) results: nothing to write or read. */
    private final ObjectWriter resultWriter;
    private final ObjectReader resultReader;

    private RpcMethod(Method method, ObjectMapper mapper) {
        this.method = method;
        this.command = Commands.command(Commands.signature(method));
        this.async = method.getReturnType() == CompletionStage.class || method.getReturnType() == CompletableFuture.class;
        this.display = display(method);
        TypeFactory types = mapper.getTypeFactory();
        Type[] parameters = method.getGenericParameterTypes();
        this.argumentWriters = new ObjectWriter[parameters.length];
        this.argumentReaders = new ObjectReader[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            JavaType type = types.constructType(concrete(parameters[i], "parameter " + (i + 1)));
            argumentWriters[i] = mapper.writerFor(type);
            argumentReaders[i] = mapper.readerFor(type);
        }
        Type result = concrete(resultType(method), "result");
        boolean none = result == void.class || result == Void.class;
        this.resultWriter = none ? null : mapper.writerFor(types.constructType(result));
        this.resultReader = none ? null : mapper.readerFor(types.constructType(result));
    }

    /**
     * @throws IllegalArgumentException if a parameter or the result uses a type variable
     */
    static RpcMethod of(Method method, ObjectMapper mapper) {
        return new RpcMethod(method, mapper);
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

    int arity() {
        return argumentWriters.length;
    }

    ObjectWriter argumentWriter(int index) {
        return argumentWriters[index];
    }

    ObjectReader argumentReader(int index) {
        return argumentReaders[index];
    }

    ObjectWriter resultWriter() {
        return resultWriter;
    }

    ObjectReader resultReader() {
        return resultReader;
    }

    @Override
    public String toString() {
        return display;
    }

    /** What the call yields: the stage's value type for an asynchronous method (Object if raw). */
    private Type resultType(Method method) {
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

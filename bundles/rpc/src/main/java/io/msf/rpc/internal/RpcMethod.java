package io.msf.rpc.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Type;

/**
 * One remote operation of an interface: its command, its place among the interface's operations and
 * the types of its arguments and result as the interface sees them ({@link MemberTypes}). The Jackson
 * readers and writers of these types are {@link RpcCodec}'s, built apart.
 */
final class RpcMethod {

    private final Method method;
    private final int index;
    private final String signature;
    private final int command;
    private final boolean async;
    private final String display;
    private final Type[] parameterTypes;
    /** Null for void (and Void) results: nothing to write or read. */
    private final Type resultType;

    private RpcMethod(ResolvedMethod resolved, int index) {
        this.method = resolved.method();
        this.index = index;
        this.signature = resolved.signature();
        this.command = Commands.command(signature);
        this.async = resolved.async();
        this.display = resolved.display();
        this.parameterTypes = resolved.parameterTypes();
        this.resultType = resolved.resultType();
    }

    /**
     * @param index the operation's place in its interface, from 0: where {@link RpcCodec} keeps its
     *     readers and writers
     */
    static RpcMethod of(ResolvedMethod resolved, int index) {
        return new RpcMethod(resolved, index);
    }

    Method method() {
        return method;
    }

    /** What the command is the digest of: {@code get(java.lang.String)}. */
    String signature() {
        return signature;
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
}

package io.msf.rpc.internal;

import io.msf.concurrent.DetachedThreads;
import io.msf.client.api.AgentException;
import io.msf.protocol.api.ErrorCode;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * An interface made callable: its remote operations by method and by command, and the codec of its
 * payloads. Both the proxy and the handler side build one; the same interface yields the same
 * commands on both.
 *
 * <p>What reflection can tell about the interface (not public, generic, a type variable it gives no
 * type, a Class value, two methods with one command or one signature and different types) is
 * checked when it is made callable. The types of the methods it inherits from a generic
 * super-interface are resolved then too, by Jackson's TypeFactory ({@link MemberTypes}): some 40
 * classes of Jackson, loaded only for such an interface. Its {@linkplain #codec() codec}, Jackson's
 * mapper with a reader and a writer for every argument and result type, is built apart: the first
 * one built in a JVM loads ~600 classes of Jackson, about 0.2 s of a small machine's CPU, which
 * neither a service's activation (on the framework's start-level thread, during the container's
 * start) nor the first call (on an agent's event loop, which every connection of that loop shares)
 * should wait for. {@link #of} starts building it on a thread of the RPC bundle ({@value #BUILDER},
 * ended after a second without work); a call that comes first builds it, or waits for the build
 * under way.
 */
public final class RpcInterface {

    static final String BUILDER = "msf-rpc-codec";
    /**
     * The most interfaces whose codecs wait to be built ahead; the codec of one more is built by its
     * first call. A program that makes proxies faster than their codecs are built (one per request,
     * say) would otherwise queue builds, each holding its interface, without end.
     */
    static final int MOST_BUILDS_WAITING = 64;
    /**
     * Builds codecs ahead of their first call, one at a time. Its own thread rather than the common
     * pool: that pool may have no thread at all (parallelism 0), one that other work keeps busy, and
     * whatever context class loader its creator had. Made by the call of {@link #of} that finds none,
     * on the stack of the bundle that made an interface callable, it keeps nothing of it
     * ({@link DetachedThreads}).
     */
    private static final ThreadPoolExecutor AHEAD = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(MOST_BUILDS_WAITING), DetachedThreads.named(BUILDER),
            new ThreadPoolExecutor.DiscardPolicy());

    private final Class<?> type;
    private final List<RpcMethod> operations = new ArrayList<>();
    private final Map<Method, RpcMethod> byMethod = new HashMap<>();
    private final Map<Integer, RpcMethod> byCommand = new HashMap<>();
    private final Object codecLock = new Object();
    private volatile RpcCodec codec;

    private RpcInterface(Class<?> type) {
        this.type = type;
        MemberTypes members = MemberTypes.of(type);
        // one operation per signature as this interface sees its types (get(java.lang.String) for
        // Repository<User, String>'s get(K)), which may come as several Methods: redeclared in a
        // subinterface, inherited from two, or declared with a type variable in one and without in another
        Map<String, ResolvedMethod> narrowest = new LinkedHashMap<>();
        // by name and erased declared parameter types, all Java tells Methods apart by: a proxy is
        // handed the same Method for all of them, whichever the caller called
        Map<String, ResolvedMethod> javaAlike = new HashMap<>();
        List<ResolvedMethod> remote = new ArrayList<>();
        for (Method method : type.getMethods()) {
            if (method.isDefault()) {
                checkCallable(type, method);
            }
            if (Modifier.isAbstract(method.getModifiers()) && Commands.isProtectedObjectMethod(method)) {
                throw new IllegalArgumentException(type.getName() + ": " + Commands.signature(method)
                        + protectedObjectMethod(method));
            }
            if (!Commands.isRemote(method)) {
                continue;
            }
            checkCallable(type, method);
            ResolvedMethod resolved = members.resolve(method);
            refuseValues(resolved);
            remote.add(resolved);
            String erased = Commands.signature(method);
            javaAlike.merge(erased, resolved, (first, second) -> sameTypes(members, first, second,
                    "are one method to Java, " + erased));
            narrowest.merge(resolved.signature(), resolved, (first, second) -> narrower(sameTypes(members, first,
                    second, "have the same RPC signature " + resolved.signature()), second));
        }
        Map<String, RpcMethod> bySignature = new HashMap<>();
        for (Map.Entry<String, ResolvedMethod> signature : narrowest.entrySet()) {
            RpcMethod operation = RpcMethod.of(signature.getValue(), operations.size());
            operations.add(operation);
            bySignature.put(signature.getKey(), operation);
            RpcMethod clash = byCommand.putIfAbsent(operation.command(), operation);
            if (clash != null) {
                throw new IllegalArgumentException(type.getName() + ": methods " + clash.signature() + " and "
                        + signature.getKey() + " have the same RPC command " + operation.command()
                        + "; rename one of them");
            }
        }
        for (ResolvedMethod resolved : remote) {
            byMethod.put(resolved.method(), bySignature.get(resolved.signature()));
        }
    }

    /**
     * {@code first}, once sure that one operation can read the arguments of both: otherwise those of
     * one would be decoded as the types of the other. Javac refuses most such pairs, but accepts some
     * where a type variable stands for a parameterized type ({@code put(List<String>)} of one
     * interface, {@code put(T)} of another given {@code List<Integer>}), and an interface compiled
     * apart from its super-interfaces may have any.
     */
    private ResolvedMethod sameTypes(MemberTypes members, ResolvedMethod first, ResolvedMethod second, String alike) {
        if (!members.sameParameterTypes(first, second)) {
            throw new IllegalArgumentException(type.getName() + ": " + first.display() + " and " + second.display()
                    + " " + alike + ", but take different types, " + first.parameterTypeNames() + " and "
                    + second.parameterTypeNames() + "; rename one of them");
        }
        return first;
    }

    /**
     * Of two methods with one signature, the one whose return type the other's is assignable from:
     * the interface's callers may call either, and a proxy decoding by the wider type (say
     * {@code Object item()} of one super-interface, where another has {@code Track item()}) would
     * hand a map to a caller expecting a Track. Java lets an interface inherit both only if one return
     * type is a subtype of the other. Compared as the interface sees them: {@code T item()} of a
     * super-interface given Track returns a Track.
     */
    private static ResolvedMethod narrower(ResolvedMethod first, ResolvedMethod second) {
        Class<?> firstType = first.returnClass();
        Class<?> secondType = second.returnClass();
        return firstType != secondType && firstType.isAssignableFrom(secondType) ? second : first;
    }

    /**
     * Refuses a method with a {@code Class} or a {@code URL} anywhere in its parameters or result
     * ({@link RefusedValues}): reading the one loads whatever class the peer names, reading the other
     * into a set or map looks its host up in DNS. Refused on both ends, as the wire carries values both
     * ways.
     */
    private void refuseValues(ResolvedMethod resolved) {
        Type[] parameters = resolved.parameterTypes();
        for (int i = 0; i < parameters.length; i++) {
            refuseValue(resolved, "parameter " + (i + 1), RefusedValues.in(parameters[i]));
        }
        if (resolved.resultType() != null) {
            refuseValue(resolved, "the result", RefusedValues.in(resolved.resultType()));
        }
    }

    private void refuseValue(ResolvedMethod resolved, String what, RefusedValues.Found found) {
        if (found != null) {
            String named = found.refused().named();
            throw new IllegalArgumentException(type.getName() + ": " + what + " of " + resolved.display()
                    + (found.path() == null ? " is " + named : " has " + named + " at " + found.path()) + " ("
                    + found.typeName() + "): " + found.refused().reason());
        }
    }

    /**
     * Refuses a method inherited from a super-interface that is not public: the handler (in the RPC
     * bundle) could not call it and the proxy could not run it if it is a default method, so every
     * call of it would fail with an IllegalAccessException; better said once, when the interface is
     * made callable.
     */
    private static void checkCallable(Class<?> type, Method method) {
        Class<?> declaring = method.getDeclaringClass();
        if (!Modifier.isPublic(declaring.getModifiers())) {
            throw new IllegalArgumentException(type.getName() + ": " + Commands.signature(method) + " comes from "
                    + declaring.getName() + ", which is not public: RPC cannot call it; make that interface public");
        }
    }

    /**
     * Why Object's {@code clone()} or {@code finalize()} cannot be a remote operation. The proxy
     * class implements the interface's, so every call would be sent: a clone would be a call that
     * copies nothing, and the garbage collector would call finalize() on each proxy it collects.
     * Handled in the proxy instead, they would mean something other than what the interface says.
     */
    private static String protectedObjectMethod(Method method) {
        return method.getName().equals("finalize")
                ? " is Object's finalize(), which the garbage collector calls on a proxy: it cannot be a remote"
                        + " operation; rename it"
                : " is Object's clone(), which would copy nothing on a proxy: it cannot be a remote operation;"
                        + " rename it";
    }

    /**
     * The interface, checked, with its codec being built in the background.
     *
     * @throws IllegalArgumentException if {@code type} is not a public interface, is generic, inherits
     *     methods from one that is not public, has a generic method or one using a type variable it
     *     gives no type, a {@code Class} anywhere in a parameter or result, declares Object's
     *     {@code clone()} or {@code finalize()}, or two of its methods have the same command or the same
     *     signature with different types
     */
    public static RpcInterface of(Class<?> type) {
        RpcInterface rpc = checked(type);
        AHEAD.execute(rpc::buildCodecAhead);
        return rpc;
    }

    /** As {@link #of}, without building the codec: for looking at the interface only. */
    public static RpcInterface checked(Class<?> type) {
        Objects.requireNonNull(type, "interface");
        if (!type.isInterface()) {
            throw new IllegalArgumentException(type.getName() + " is not an interface");
        }
        if (!Modifier.isPublic(type.getModifiers())) {
            throw new IllegalArgumentException(type.getName() + " is not public: both ends of an RPC must see it");
        }
        if (type.getTypeParameters().length > 0) {
            throw new IllegalArgumentException(type.getName() + " is generic ("
                    + MemberTypes.names(type.getTypeParameters()) + "): RPC needs the type of every parameter and"
                    + " result; call it through an interface that extends it with type arguments (interface Xs extends "
                    + type.getSimpleName() + "<...>)");
        }
        return new RpcInterface(type);
    }

    /** How many interfaces wait for their codec to be built ahead: for tests. */
    static int buildsWaiting() {
        return AHEAD.getQueue().size();
    }

    /** The interface. */
    Class<?> type() {
        return type;
    }

    /**
     * The payload codec: built once, by the background build or by the first call that needs it.
     *
     * @throws AgentException REMOTE_ERROR if Jackson fails to build it (a custom serializer whose
     *     constructor throws, for instance); the next call tries again. Most problems with a type
     *     Jackson keeps for the first value it reads or writes: they come up as that call's "cannot
     *     encode" or "cannot decode".
     */
    RpcCodec codec() {
        RpcCodec built = codec;
        if (built == null) {
            synchronized (codecLock) {
                built = codec;
                if (built == null) {
                    built = newCodec();
                    codec = built;
                }
            }
        }
        return built;
    }

    private RpcCodec newCodec() {
        try {
            return new RpcCodec(type, operations);
        } catch (RuntimeException | LinkageError e) {
            throw new AgentException(ErrorCode.REMOTE_ERROR, "cannot set up the RPC codec of " + type.getName()
                    + ": " + e, e);
        }
    }

    /** The background build: a failure is left for the first call to meet and report. */
    private void buildCodecAhead() {
        try {
            codec();
        } catch (AgentException e) {
            // reported to the call that needs the codec
        }
    }

    /**
     * Each operation's command and the method standing for it (of several Methods for one signature,
     * the one the interface sees with the narrowest types), in {@link Class#getMethods()}'s order.
     */
    public Map<Integer, Method> operations() {
        Map<Integer, Method> methods = new LinkedHashMap<>();
        for (RpcMethod operation : operations) {
            methods.put(operation.command(), operation.method());
        }
        return Collections.unmodifiableMap(methods);
    }

    /** The operation behind {@code method}, or null for a default or {@link Object} method. */
    RpcMethod method(Method method) {
        return byMethod.get(method);
    }

    /** The operation with {@code command}, or null if this interface has none. */
    RpcMethod method(int command) {
        return byCommand.get(command);
    }
}

package io.msf.rpc.api;

import io.msf.client.api.AgentClient;
import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.MessageHandler;
import io.msf.rpc.internal.Commands;
import io.msf.rpc.internal.InterfaceHandler;
import io.msf.rpc.internal.RpcInterface;
import io.msf.rpc.internal.RpcProxy;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Remote calls of a Java interface through the agent: {@link #proxy} turns calls into requests,
 * {@link #handler} turns requests into calls of an implementation.
 *
 * <pre>{@code
 * // the offering bundle: a MessageHandler service with msf.agent.name=dlna.library
 * MessageHandler handler = Rpc.handler(MediaLibrary.class, new InMemoryLibrary());
 * // the calling side, in the container or outside it
 * MediaLibrary library = Rpc.proxy(client, Address.name("dlna.library"), MediaLibrary.class, Duration.ofSeconds(5));
 * List<Track> tracks = library.tracks();
 * }</pre>
 *
 * <h2>Interfaces</h2>
 * A public interface (and so must be every interface it inherits methods from: the handler calls them
 * and the proxy runs their default methods from the RPC bundle). Each abstract method is a remote
 * operation. Default methods run in the proxy (they may call the remote ones); {@code toString},
 * {@code equals} and {@code hashCode} are the proxy's own. An interface declaring Object's
 * {@code clone()} or {@code finalize()} is refused, naming it and the method: the proxy would send
 * them as calls, {@code finalize()} whenever the garbage collector collects a proxy (methods of
 * those names with parameters are remote operations as any other). A method returning
 * {@link java.util.concurrent.CompletionStage} or {@link java.util.concurrent.CompletableFuture} is
 * asynchronous: the proxy returns at once with a {@code CompletableFuture}, and the implementation may
 * complete its stage later. Any other method is synchronous: the proxy blocks until the reply comes or
 * the timeout runs out (but see {@link #handler(Class, Object, Duration, Executor)}: a caller in the
 * container runs a synchronous implementation given no executor on its own thread, and waits for it
 * whatever its timeout).
 *
 * <p>The interface may inherit from generic interfaces: their type variables have the types the
 * interface gives them, on both ends.
 * <pre>{@code
 * public interface Repository<T, K> { T get(K id); List<T> all(); CompletionStage<T> save(T item); }
 * public interface Users extends Repository<User, String> { User byName(String name); }
 * }</pre>
 * A proxy of {@code Users} sends {@code get}'s id as a String and reads a User back, {@code all()}
 * reads a {@code List<User>}, {@code save} an asynchronous User; a handler of {@code Users} reads and
 * writes the same. Refused, because a type variable would have no type (and Jackson would quietly read
 * maps and lists for it): a generic interface itself ({@code Rpc.proxy(..., Repository.class, ...)}),
 * a generic method ({@code <X> X convert(String text, Class<X> type)}), and one using a type variable
 * of a super-interface inherited raw ({@code extends Repository}, or extending an interface that does).
 *
 * <p>Parameters and results are whatever Jackson maps to and from CBOR by their declared (generic)
 * types, inherited type variables as the interface gives them: primitives, strings, {@code byte[]},
 * enums, arrays, lists, sets, maps, records and beans, nested freely. Values travel by declared type
 * and carry no type information: a subclass passed where its superclass is declared travels as the
 * superclass (its own properties stay home), as an argument or result, an element, or a record's
 * component or bean's property; one declared as an interface travels as the interface's getters (an
 * interface with none, such as {@code Serializable}, fails to encode). What is declared {@code Object}
 * travels as the class of what it holds, all its properties, and is read as maps, lists, strings and
 * numbers; so does a value of a type whose Jackson annotations name its subclasses
 * ({@code @JsonTypeInfo(use = NAME)}), with the name they give it. Nothing on the wire names a Java
 * class, so nothing is loaded by name: class-name typing is refused, and so is a {@code Class} value,
 * which would travel as its name and have the receiving side load whatever class a peer names. An
 * interface with a {@code Class} anywhere in a parameter or result (also in an array, a collection, a
 * map, a stage's value, a type variable given {@code Class}, a record's component or a bean's public
 * field, getter or setter) is refused when the proxy or handler is made, naming the method and where
 * the Class is ({@code parameter 1 of Finder.find(Query) has a Class at Query.type}); send a class's name as a String and look it up among the classes you expect.
 * A Class only Jackson's annotations make a property is refused when read: the call fails with
 * REMOTE_ERROR, nothing loaded. Nothing read is looked up in DNS either: a {@code java.net.URL}, whose
 * equals and hashCode look its host up (in a set or as a map's key, on the thread reading the call), is
 * refused as a Class is, when the proxy or handler is made ({@code ... has a URL at Page.link}) or, if
 * only Jackson's annotations show it, when read; send a {@code java.net.URI}, which compares as text.
 * An {@code InetAddress} travels as its IP address (not the host name it may know), an
 * {@code InetSocketAddress} as its IP address (an unresolved one's name) and port, and arrives
 * unresolved. A value read is not cut to fit its declared type: a floating-point or decimal number
 * where a whole number ({@code int}, {@code long}, {@code BigInteger} and the like) is declared, say
 * 1.5 for an {@code int}, fails the call with REMOTE_ERROR ({@code argument 0, declared int, is a
 * floating-point number (1.5)}) instead of reaching the method as 1, and so does a null where a primitive
 * is. Nor is a value parsed into its declared type: text where a number or boolean is declared
 * ({@code "2"} for an {@code int}, {@code "1.5"} for a {@code BigDecimal}, {@code "true"}, or an empty
 * text for an {@code Integer}, which Jackson would make null) and a number where a boolean is (1 for
 * true) fail the call the same way, as do a number or boolean where a {@code String} is declared
 * (2 would arrive as {@code "2"}) and a number, or a text of digits, where an enum is declared:
 * an enum travels by its constant's name, and Jackson would pick the constant at that place, another
 * one for a peer whose enum gained a constant in the middle. The message names the argument (or
 * the result), its declared type and, for a value inside it, the path to the value
 * ({@code at tracks[2].number}) and that value's type; a type that takes text or a structure (an
 * enum, a UUID, a record) keeps Jackson's reason, without its advice on mapper settings, which a
 * peer cannot follow. Types Jackson cannot map (say {@code java.time} or {@code Optional}, which
 * need modules msf does not ship) fail on the first call with Jackson's message: an argument before anything is sent, but a
 * result only after the implementation has run.
 *
 * <h2>Threads</h2>
 * Where an implementation's methods run is the handler's choice: see
 * {@link #handler(Class, Object, Duration, Executor)}. The future an asynchronous proxy call returns
 * completes on the thread that delivers the reply or the failure, never on one of the proxy's own:
 * for a peer connected by socket (the external client, or the agent for a socket peer) the client's
 * or agent's event loop, which serves other connections too; for a handler in the same container
 * the thread that completed the implementation's stage, which may be the calling thread itself
 * before the call returns, or, for a call its handler ended past its time limit, the handler's
 * timer thread ({@code msf-rpc-timeouts}); for a TIMEOUT the proxy's own timeout ended, the agent's
 * timer or the external client's event loop. So
 * do the actions chained to it without an executor ({@code thenApply}, {@code whenComplete}): keep
 * them short and never block in them; hand anything longer to an executor of your own
 * ({@code thenApplyAsync(f, executor)}).
 *
 * <h2>Methods and commands</h2>
 * A method's <em>signature</em> is its name and its parameter types' {@link Class#getTypeName() type
 * names} (erased), e.g. {@code track(int)} or {@code search(java.lang.String,java.util.List)}, with
 * the types the interface gives inherited type variables: {@code Users}' {@code get} above has the
 * signature {@code get(java.lang.String)}, as if {@code Users} declared {@code User get(String id)}
 * (so an end whose {@code Users} does and one whose {@code Users} does not agree). Its
 * <em>command</em> is the first four bytes (big-endian) of the SHA-256 digest of the signature's UTF-8
 * bytes, with the top bit cleared: a number from 0 to 2<sup>31</sup>-1 that every JVM computes alike
 * ({@link #command(Class, Method)}). The return type is not part of it: changing it keeps the command
 * and makes the other side's decoding fail. Two methods of one interface with the same command (one pair
 * in tens of thousands of methods) make {@link #proxy} and {@link #handler} throw, naming both; rename
 * one. So do two with one signature but different parameter types, which Java allows in a few cases
 * ({@code put(List<String>)} of one super-interface, {@code put(T)} of another given
 * {@code List<Integer>}): one operation could not read the arguments of both.
 *
 * <h2>Payloads</h2>
 * <ul>
 * <li>REQUEST: a CBOR array of the arguments, in parameter order ({@code []} for none).
 * <li>REPLY: a CBOR array {@code [0, result]} ({@code null} for void), or {@code [1, "class name",
 *     "message"]} when the implementation threw (the message may be {@code null}). The class name is
 *     cut to 200 and the message to 400 bytes of UTF-8, each saying how many more characters it had
 *     ({@code ... (1999629 more characters)}) and never cut inside a character: such a reply takes
 *     at most 608 bytes, so that it fits the smallest frame a peer may accept (1,024 bytes, with the
 *     44-byte header and the longest subject), and the caller gets what was thrown, never TOO_LARGE
 *     in its place. Half a surrogate pair alone in either, which has no UTF-8 form, travels as U+FFFD.
 * </ul>
 * Implementation failures travel inside a REPLY because an ERROR's text is for people and not meant
 * to be parsed, while the proxy must hand over the class name and message exactly.
 *
 * <h2>Failures seen by the caller</h2>
 * Every failure is an unchecked {@link AgentException}, but for an argument that cannot be encoded
 * and an {@link Error} (a class Jackson needs missing, say), which reach the caller as themselves:
 * thrown by a synchronous method, failing the future of an asynchronous one.
 * <ul>
 * <li>{@link RemoteInvocationException} (REMOTE_ERROR): the implementation threw.
 * <li>TIMEOUT: no reply within the proxy's timeout (the agent's default for {@link Duration#ZERO}).
 * <li>NO_HANDLER: the destination does not have this method (an older version of the interface).
 * <li>REMOTE_ERROR (a plain AgentException): the destination could not decode the arguments or encode
 *     the result, or the reply could not be decoded here; or Jackson could not set up the interface's
 *     codec at all, on either side ("cannot set up the RPC codec of ..."); the text says which
 *     method or interface, and why. Arguments past a handler's bounds are refused so, their decoding
 *     stopped at the bound and the implementation not called, naming the bound: more than 250,000
 *     CBOR tokens (each value, map key, and start and end of an array or map), arrays and maps nested
 *     more than 256 deep, a decimal whose scale is past &plusmn;100,000, decimals whose scales past 100
 *     (either sign) add up to more than 1,000,000 (each of 10<sup>100000</sup> is 41 KB read as a BigInteger),
 *     or a CBOR string reference (tag 25 or 256), which would decode to a new copy of the string it
 *     repeats. A reply the proxy reads is held to all of them but the token count.
 * <li>OVERLOADED also when the calls waiting for a handler's executor would hold more than 32 MiB of
 *     arguments with this one (see {@link #handler(Class, Object, Duration, Executor)}).
 * <li>PEER_OFFLINE, OVERLOADED, TOO_LARGE: as the {@link AgentClient} reports them.
 * <li>An argument Jackson cannot encode: {@link IllegalArgumentException} before anything is sent.
 * </ul>
 */
public final class Rpc {

    /**
     * How long the {@link #handler} lets an asynchronous method run when the request carries no
     * timeout of its own (it asked for the agent's default, which the handler does not know).
     */
    public static final Duration DEFAULT_MAX_CALL_TIME = Duration.ofSeconds(30);

    /** A request carries its timeout as a 32-bit count of milliseconds (about 24.8 days). */
    private static final Duration LONGEST_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

    /** A call's time limit is counted in milliseconds, in a long. */
    private static final Duration LONGEST_CALL_TIME = Duration.ofMillis(Long.MAX_VALUE);

    private Rpc() {
    }

    /**
     * A proxy of {@code iface} whose calls go as requests to {@code to}. It holds no resources; it
     * stays usable as long as {@code client} is. Its Jackson codec is built in the background from
     * now on, so that this call does not wait for it; a remote call that comes before the build is
     * done (it takes a fraction of a second) waits for it. (Past 64 interfaces waiting for theirs, the
     * codec is built by the first call instead: make a proxy once, not per call.)
     *
     * @param timeout how long each call waits for its reply; {@link Duration#ZERO}: the agent's default;
     *     at most 2<sup>31</sup> - 1 ms, what a request carries
     * @throws IllegalArgumentException if the timeout is negative or longer than that, if {@code iface}
     *     is not a public interface, is generic, inherits
     *     methods from one that is not public, has a generic method or one using a type variable that
     *     {@code iface} gives no type, or a {@code Class} in a parameter or result (see the class
     *     comment), or two of its methods have the same command or the same signature with different types
     */
    public static <T> T proxy(AgentClient client, Address to, Class<T> iface, Duration timeout) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(to, "to");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout " + timeout + " is negative");
        }
        if (timeout.compareTo(LONGEST_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout " + timeout + " is longer than a request can carry ("
                    + LONGEST_TIMEOUT + ", 2^31 - 1 ms)");
        }
        RpcInterface rpc = RpcInterface.of(iface);
        Object proxy = Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface},
                new RpcProxy(client, to, rpc, timeout));
        return iface.cast(proxy);
    }

    /**
     * A message handler calling {@code implementation} for each request, with
     * {@link #DEFAULT_MAX_CALL_TIME}, synchronous methods on the thread delivering the request (see
     * {@link #handler(Class, Object, Duration, Executor)}). Register it as a {@link MessageHandler}
     * service with {@link MessageHandler#NAME} (and/or {@link MessageHandler#ID}), or give it to an
     * external client's {@link io.msf.client.api.ClientOptions.Builder#handler}; {@link RpcHandler#close
     * close} it when its service stops.
     *
     * @return since 2.0 an {@link RpcHandler} (a {@link MessageHandler} before, which it still is)
     * @throws IllegalArgumentException as {@link #proxy}, or if {@code implementation} is no {@code iface}
     */
    public static <T> RpcHandler handler(Class<T> iface, T implementation) {
        return handler(iface, implementation, DEFAULT_MAX_CALL_TIME, null);
    }

    /**
     * A message handler calling {@code implementation} for each request, synchronous methods on the
     * thread delivering the request (see {@link #handler(Class, Object, Duration, Executor)}).
     *
     * @param maxCallTime how long a call may run when the request has no timeout
     * @return since 2.0 an {@link RpcHandler} (a {@link MessageHandler} before, which it still is)
     * @throws IllegalArgumentException as {@link #handler(Class, Object)}, or if {@code maxCallTime} is
     *     not positive or longer than {@link Long#MAX_VALUE} ms
     */
    public static <T> RpcHandler handler(Class<T> iface, T implementation, Duration maxCallTime) {
        return handler(iface, implementation, maxCallTime, null);
    }

    /**
     * A message handler calling {@code implementation} for each request, its synchronous methods on
     * {@code executor}, with {@link #DEFAULT_MAX_CALL_TIME}: see
     * {@link #handler(Class, Object, Duration, Executor)}.
     *
     * @since 2.0
     */
    public static <T> RpcHandler handler(Class<T> iface, T implementation, Executor executor) {
        return handler(iface, implementation, DEFAULT_MAX_CALL_TIME, Objects.requireNonNull(executor, "executor"));
    }

    /**
     * A message handler calling {@code implementation} for each request.
     *
     * <h4>Threads</h4>
     * An <em>asynchronous</em> method (one returning a stage) is called on the thread delivering the
     * request and must return at once; its stage may complete on any thread.
     *
     * <p>A <em>synchronous</em> method runs on {@code executor} when one is given: say a pool of the
     * bundle's own from {@code io.msf.event.api.ServiceExecutors}, whose threads the container counts
     * against the bundle and stops with it. That is the place for a method that blocks or computes for
     * long. A call the executor refuses (its queue full, or shut down) fails with OVERLOADED, or
     * PEER_OFFLINE when shut down. So does, with OVERLOADED, one whose arguments would take those of
     * the calls waiting for the executor past 32 MiB, counted as their payloads' bytes and 64 bytes for
     * each CBOR token (what an empty map takes decoded; a call alone always waits): an executor's
     * queue bounds how many calls wait, not how large they are. A waiting call lets its arguments go
     * as soon as its caller is answered (TIMEOUT, or PEER_OFFLINE on close), though its task waits on
     * in the executor's queue.
     *
     * <p>Without an executor ({@code null}), a synchronous method runs on the thread delivering the
     * request. For a handler service in the container that is: for a caller connected by socket, the
     * agent's event loop of that connection, shared with other connections, which serves none of them
     * (nor times out their requests) meanwhile; for a caller in the container, the caller's own
     * thread, which then waits as long as the method runs, past its proxy's timeout, since nothing can
     * cut a method short on the thread it runs on. Keep such methods short, give an executor, or
     * declare them asynchronous. One that throws InterruptedException leaves the thread interrupted
     * when it is an in-container caller's waiting in a proxy, or the executor's, so that its owner sees
     * it; never an event loop's, whose flag is not the implementation's, also when an executor runs the
     * call on the delivering thread (as {@code Runnable::run} or a pool's {@code CallerRunsPolicy} does).
     *
     * <h4>Time limit</h4>
     * A call not done in place (an asynchronous method's stage not yet complete, or a synchronous
     * method on the executor) is given the request's timeout (or {@code maxCallTime} when the request
     * has none): past it the handler answers TIMEOUT and forgets the call, so that one that never ends
     * does not hold the request forever; a call still queued on the executor by then is not made.
     * {@link RpcHandler#close} ends them all at once.
     *
     * <p>NOTIFY messages are ignored: every method expects a reply.
     *
     * @param maxCallTime how long a call may run when the request has no timeout
     * @param executor where synchronous methods run; null: on the thread delivering the request
     * @throws IllegalArgumentException as {@link #handler(Class, Object)}, or if {@code maxCallTime} is
     *     not positive or longer than {@link Long#MAX_VALUE} ms
     * @since 2.0
     */
    public static <T> RpcHandler handler(Class<T> iface, T implementation, Duration maxCallTime, Executor executor) {
        Objects.requireNonNull(implementation, "implementation");
        if (maxCallTime.isNegative() || maxCallTime.isZero()) {
            throw new IllegalArgumentException("maxCallTime " + maxCallTime + " must be positive");
        }
        if (maxCallTime.compareTo(LONGEST_CALL_TIME) > 0) {
            throw new IllegalArgumentException("maxCallTime " + maxCallTime + " is longer than the longest a call can"
                    + " be given (" + Long.MAX_VALUE + " ms)");
        }
        RpcInterface rpc = RpcInterface.of(iface);
        if (!iface.isInstance(implementation)) {
            throw new IllegalArgumentException(implementation.getClass().getName() + " does not implement "
                    + iface.getName());
        }
        return new InterfaceHandler(rpc, implementation, maxCallTime, executor);
    }

    /**
     * The remote operations of {@code iface} by command, in the order {@link Class#getMethods()} gives
     * them: its abstract methods, inherited ones included (with the commands {@code iface}'s types
     * give them), and none of its default or static methods. For logs and tools that see only a
     * request's command: {@code Rpc.operations(MediaLibrary.class).get(message.command())}.
     *
     * @return an unmodifiable map
     * @throws IllegalArgumentException as {@link #proxy} for an interface RPC refuses
     * @since 2.0
     */
    public static Map<Integer, Method> operations(Class<?> iface) {
        return RpcInterface.checked(iface).operations();
    }

    /**
     * The command {@code method} is called with as a method of the interface that declares it, which
     * is its command in every interface that inherits it unless it uses type variables: see
     * {@link #command(Class, Method)}.
     *
     * @throws IllegalArgumentException if {@code method} is not a remote operation (static, default,
     *     or one of {@link Object}'s), is generic, or uses type variables of its interface (which has
     *     no types for them)
     */
    public static int command(Method method) {
        return Commands.command(method);
    }

    /**
     * The command {@code method} is called with as a method of {@code iface}, which declares or
     * inherits it: its type variables have the types {@code iface} gives them (see the class comment).
     *
     * @throws IllegalArgumentException if {@code method} is not a remote operation (static, default,
     *     or one of {@link Object}'s), is not a method of the interface {@code iface}, is generic, or
     *     uses a type variable that {@code iface} gives no type
     * @since 1.1
     */
    public static int command(Class<?> iface, Method method) {
        return Commands.command(Objects.requireNonNull(iface, "iface"), method);
    }
}

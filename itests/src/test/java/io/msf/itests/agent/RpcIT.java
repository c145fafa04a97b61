package io.msf.itests.agent;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.client.api.AgentException;
import io.msf.protocol.api.ErrorCode;
import io.msf.rpc.api.RemoteInvocationException;
import io.msf.rpc.api.Rpc;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * A Java interface offered in the container is called through an RPC proxy, from the container
 * and over a socket, with records, lists and asynchronous methods, also ones it inherits from a
 * generic interface; failures and timeouts surface as exceptions.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RpcIT extends AgentTestSupport {

    private static final String NAME = "itest.rpc.catalog";
    private static final String SHELF = "itest.rpc.shelf";

    /** The interface offered: one of each kind of method. */
    public interface Catalog {
        String greet(String who);

        List<Item> search(String prefix, int limit);

        CompletableFuture<Integer> count(List<String> words);

        void reject(String reason);

        CompletableFuture<String> never();
    }

    public record Item(String title, int year, List<String> tags) {
    }

    /** The implementation offered in the container. */
    static final class InMemoryCatalog implements Catalog {
        private static final List<Item> ITEMS = List.of(new Item("alpha", 2001, List.of("a")),
                new Item("alpine", 2002, List.of("a", "b")), new Item("beta", 2003, List.of()));

        @Override
        public String greet(String who) {
            return "hello " + who;
        }

        @Override
        public List<Item> search(String prefix, int limit) {
            return ITEMS.stream().filter(i -> i.title().startsWith(prefix)).limit(limit).collect(Collectors.toList());
        }

        @Override
        public CompletableFuture<Integer> count(List<String> words) {
            return CompletableFuture.supplyAsync(words::size);
        }

        @Override
        public void reject(String reason) {
            throw new IllegalStateException(reason);
        }

        @Override
        public CompletableFuture<String> never() {
            return new CompletableFuture<>();
        }
    }

    /** A generic interface: RPC calls it through one that gives its type variables types. */
    public interface Store<T, K> {
        T get(K key);

        List<T> all();

        CompletionStage<T> put(T item);
    }

    /** The generic interface offered: Items by title. */
    public interface Shelf extends Store<Item, String> {
        int size();
    }

    /** The Shelf offered in the container. */
    static final class InMemoryShelf implements Shelf {
        private final Map<String, Item> items = new ConcurrentHashMap<>();

        @Override
        public Item get(String key) {
            return items.get(key);
        }

        @Override
        public List<Item> all() {
            return items.values().stream().sorted(Comparator.comparing(Item::title)).collect(Collectors.toList());
        }

        @Override
        public CompletionStage<Item> put(Item item) {
            items.put(item.title(), item);
            return CompletableFuture.supplyAsync(() -> item);
        }

        @Override
        public int size() {
            return items.size();
        }
    }

    @Before
    public void offerCatalog() {
        offer(NAME, null, Rpc.handler(Catalog.class, new InMemoryCatalog()));
        offer(SHELF, null, Rpc.handler(Shelf.class, new InMemoryShelf()));
    }

    @Test
    public void proxyInTheContainerCallsTheImplementation() throws Exception {
        assertCalls(client());
    }

    @Test
    public void proxyOverTheSocketFileCallsTheImplementation() throws Exception {
        assertCalls(connect(overSocketFile()));
    }

    @Test
    public void methodsOfAGenericInterfaceCarryTheTypesGivenToItsVariables() throws Exception {
        assertShelf(Rpc.proxy(client(), Address.name(SHELF), Shelf.class, PATIENT));
        assertShelf(Rpc.proxy(connect(overSocketFile()), Address.name(SHELF), Shelf.class, PATIENT));
    }

    @Test
    public void timeoutAndMissingPeerSurfaceAsAgentExceptions() {
        Catalog impatient = Rpc.proxy(client(), Address.name(NAME), Catalog.class, Duration.ofMillis(300));
        ExecutionException timeout = assertThrows(ExecutionException.class,
                () -> impatient.never().get(PATIENT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(ErrorCode.TIMEOUT, ((AgentException) timeout.getCause()).code());

        Catalog absent = Rpc.proxy(client(), Address.name("itest.rpc.absent"), Catalog.class, PATIENT);
        assertEquals(ErrorCode.PEER_OFFLINE, assertThrows(AgentException.class, () -> absent.greet("x")).code());
    }

    /**
     * Arguments within the frame's bound with more CBOR tokens than a request may have (300,000
     * strings in 300 KB; as many empty maps would decode to some 20 MiB) are refused, naming the bound,
     * the implementation not called, and the handler answers the next call as before.
     */
    @Test
    public void argumentsPastTheTokenBoundAreRefusedAndTheHandlerAnswersOn() throws Exception {
        AgentClient outside = connect(overSocketFile());
        int count = Rpc.command(Catalog.class, Catalog.class.getMethod("count", List.class));
        ByteBuf words = Unpooled.buffer(300_003);
        words.writeByte(0x81).writeByte(0x9f); // one argument: an array of indefinite length
        for (int i = 0; i < 300_000; i++) {
            words.writeByte(0x60); // ""
        }
        words.writeByte(0xff); // its end

        AgentException refused = assertThrows(AgentException.class,
                () -> outside.request(Address.name(NAME), count, words, PATIENT));

        assertEquals(ErrorCode.REMOTE_ERROR, refused.code());
        assertTrue(refused.getMessage(), refused.getMessage().contains(
                "the arguments have more than 250000 CBOR tokens, the most a request may have (at byte 250000)"));
        Catalog catalog = Rpc.proxy(outside, Address.name(NAME), Catalog.class, PATIENT);
        assertEquals(Integer.valueOf(2), catalog.count(List.of("a", "b")).get(PATIENT.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Both proxies of a test reach one shelf: putting the same items again leaves two. */
    private static void assertShelf(Shelf shelf) throws Exception {
        Item alpha = new Item("alpha", 2001, List.of("a"));
        Item beta = new Item("beta", 2003, List.of());
        assertEquals(beta, shelf.put(beta).toCompletableFuture().get(PATIENT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(alpha, shelf.put(alpha).toCompletableFuture().get(PATIENT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(alpha, shelf.get("alpha"));
        assertEquals(List.of(alpha, beta), shelf.all());
        assertEquals(2, shelf.size());
    }

    private void assertCalls(AgentClient client) throws Exception {
        Catalog catalog = Rpc.proxy(client, Address.name(NAME), Catalog.class, PATIENT);
        assertEquals("hello rpc", catalog.greet("rpc"));
        assertEquals(List.of(new Item("alpha", 2001, List.of("a")), new Item("alpine", 2002, List.of("a", "b"))),
                catalog.search("al", 5));
        assertEquals(List.of(), catalog.search("zzz", 5));
        assertEquals(Integer.valueOf(3), catalog.count(List.of("a", "b", "c")).get(PATIENT.toMillis(),
                TimeUnit.MILLISECONDS));
        RemoteInvocationException thrown = assertThrows(RemoteInvocationException.class,
                () -> catalog.reject("not today"));
        assertEquals(IllegalStateException.class.getName(), thrown.remoteType());
        assertEquals("not today", thrown.remoteMessage());
    }
}

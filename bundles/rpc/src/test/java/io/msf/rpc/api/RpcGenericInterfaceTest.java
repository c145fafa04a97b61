package io.msf.rpc.api;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.Address;
import io.msf.client.testing.InMemoryAgent;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interfaces that inherit methods from generic ones: each end reads and writes the types the
 * interface gives the type variables, and what gives them no type is refused when the proxy or
 * handler is made.
 */
class RpcGenericInterfaceTest {

    private static final Address AT = Address.name("test.users");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final User ADA = new User("ada", "Ada Lovelace", List.of("admin"));
    private static final User ALAN = new User("alan", "Alan Turing", List.of());

    private final InMemoryAgent agent = InMemoryAgent.onHandlerThreads();

    @AfterEach
    void everyBufferReleased() {
        await().until(agent::allReleased);
        agent.close();
    }

    @Test
    void inheritedMethodsCarryTheTypesTheInterfaceGivesTheirVariables() throws Exception {
        agent.register(AT.name(), Rpc.handler(Users.class, new InMemoryUsers()));
        Users users = Rpc.proxy(TestAgents.caller(agent), AT, Users.class, TIMEOUT);
        User grace = new User("grace", "Grace Hopper", List.of("navy"));

        assertThat(users.get("ada")).isEqualTo(ADA);
        assertThat(users.all()).containsExactly(ADA, ALAN);
        assertThat(users.save(grace).toCompletableFuture().get(10, SECONDS)).isEqualTo(grace);
        assertThat(users.byName("Grace Hopper")).isEqualTo(grace);
        assertThat(users.exists("alan")).as("a default method of the generic interface").isTrue();
        Repository<User, String> repository = users;
        assertThat(repository.get("alan")).isEqualTo(ALAN);
    }

    @Test
    void aVariableGivenThroughAGenericIntermediateInterfaceIsResolvedToo() {
        Book book = new Book(new Isbn("978-0262510875"), "Structure and Interpretation of Computer Programs");
        agent.register("test.books", Rpc.handler(Books.class, new InMemoryBooks()));
        Books books = Rpc.proxy(TestAgents.caller(agent), Address.name("test.books"), Books.class, TIMEOUT);

        assertThat(books.save(book).toCompletableFuture().join()).isEqualTo(book);
        // a key decoded as its bound (Object: a map) would be no Isbn, and no book would be found
        assertThat(books.get(new Isbn("978-0262510875"))).isEqualTo(book);
        assertThat(books.all()).containsExactly(book);
        assertThat(books.titled("Structure")).containsExactly(book);
    }

    @Test
    void theCommandOfAnInheritedMethodIsThatOfTheSignatureTheInterfaceSees() throws Exception {
        Method get = Repository.class.getMethod("get", Object.class);

        assertThat(Rpc.command(Users.class, get)).isEqualTo(Rpc.command(Lookup.class.getMethod("get", String.class)));
        assertThat(Rpc.command(Books.class, get)).isNotEqualTo(Rpc.command(Users.class, get));
        Method all = Repository.class.getMethod("all");
        assertThat(Rpc.command(Users.class, all)).as("all() takes no type variable")
                .isEqualTo(Rpc.command(Books.class, all));
        assertThatThrownBy(() -> Rpc.command(get)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("type variable K").hasMessageContaining("Repository is generic");
        assertThatThrownBy(() -> Rpc.command(Library.class, get)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a method of " + Library.class.getName());
    }

    @Test
    void endsThatRedeclareTheInheritedMethodAndEndsThatDoNotCallEachOther() {
        agent.register(AT.name(), Rpc.handler(Users.class, new InMemoryUsers()));
        agent.register("test.redeclared", Rpc.handler(Redeclaring.class, new InMemoryUsers()));
        Redeclaring redeclaring = Rpc.proxy(TestAgents.caller(agent), AT, Redeclaring.class, TIMEOUT);
        Users users = Rpc.proxy(TestAgents.caller(agent), Address.name("test.redeclared"), Users.class, TIMEOUT);
        Repository<User, String> throughTheBridge = redeclaring;

        assertThat(redeclaring.get("ada")).isEqualTo(ADA);
        assertThat(throughTheBridge.get("alan")).isEqualTo(ALAN);
        assertThat(users.get("ada")).isEqualTo(ADA);
    }

    @Test
    void oneMethodInheritedFromTwoInterfacesIsOneOperation() throws Exception {
        agent.register("test.directory", Rpc.handler(Directory.class, new InMemoryUsers()));
        Directory directory = Rpc.proxy(TestAgents.caller(agent), Address.name("test.directory"), Directory.class,
                TIMEOUT);
        Lookup lookup = directory;
        Repository<User, String> repository = directory;

        assertThat(lookup.get("ada")).isEqualTo(ADA);
        assertThat(repository.get("alan")).isEqualTo(ALAN);
        assertThat(Rpc.command(Directory.class, Repository.class.getMethod("get", Object.class)))
                .isEqualTo(Rpc.command(Directory.class, Lookup.class.getMethod("get", String.class)));
    }

    @Test
    void aMethodInheritedAsObjectAndAsAGivenTypeVariableIsDecodedByTheGivenType() {
        // Java sees Object item() in both super-interfaces: only the resolved T tells which is narrower
        agent.register("test.first", Rpc.handler(LooseFirst.class, () -> ADA));
        agent.register("test.last", Rpc.handler(LooseLast.class, () -> ADA));

        assertThat(Rpc.proxy(TestAgents.caller(agent), Address.name("test.first"), LooseFirst.class, TIMEOUT).item())
                .isEqualTo(ADA);
        assertThat(Rpc.proxy(TestAgents.caller(agent), Address.name("test.last"), LooseLast.class, TIMEOUT).item())
                .isEqualTo(ADA);
    }

    /** item() as an Object. */
    public interface Loose {
        Object item();
    }

    /** item() as a T. */
    public interface Item<T> {
        T item();
    }

    /** Inherits item() as an Object and as a User, the Object first. */
    public interface LooseFirst extends Loose, Item<User> {
    }

    /** The same, the User first. */
    public interface LooseLast extends Item<User>, Loose {
    }

    @Test
    void aGenericInterfaceIsRefusedOnBothSides() {
        assertThatThrownBy(() -> Rpc.proxy(TestAgents.caller(agent), AT, Repository.class, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Repository.class.getName() + " is generic (<T, K>)")
                .hasMessageContaining("an interface that extends it with type arguments");
        assertThatThrownBy(() -> Rpc.handler(Repository.class, new InMemoryUsers()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is generic (<T, K>)");
    }

    @Test
    void aGenericMethodIsRefused() {
        assertThatThrownBy(() -> Rpc.proxy(TestAgents.caller(agent), AT, Converter.class, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Converter.class.getName() + ": Converter.convert is a generic method (<X>)");
    }

    @Test
    void aSuperInterfaceInheritedWithoutTypeArgumentsIsRefused() {
        assertThatThrownBy(() -> Rpc.proxy(TestAgents.caller(agent), AT, RawUsers.class, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(RawUsers.class.getName() + ": ")
                .hasMessageContaining(" of Repository.").hasMessageContaining("uses the type variable")
                .hasMessageContaining("RawUsers inherits " + Repository.class.getName() + " without type arguments");
        assertThatThrownBy(() -> Rpc.proxy(TestAgents.caller(agent), AT, RawShelf.class, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RawShelf inherits " + Shelf.class.getName() + " without type arguments");
    }

    @Test
    void twoMethodsWithOneSignatureButDifferentTypesAreRefused() {
        assertThatThrownBy(() -> Rpc.proxy(TestAgents.caller(agent), AT, Mixed.class, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Mixed.class.getName() + ": ")
                .hasMessageContaining("have the same RPC signature put(java.util.List)")
                .hasMessageContaining("java.util.List<java.lang.String>")
                .hasMessageContaining("java.util.List<java.lang.Integer>");
    }

    @Test
    void methodsThatJavaCallsAlikeButThatTakeDifferentTypesAreRefused(@TempDir Path dir) throws Exception {
        // javac refuses C extends A<String>, B<Integer> when both declare put(T); such a C exists when B
        // gained put after C was compiled, and a proxy is handed one put(Object) for both
        Javac.compile(dir, Map.of("A", "public interface A<T> { void put(T value); }",
                "B", "public interface B<T> { void add(T value); }",
                "C", "public interface C extends A<String>, B<Integer> { }"));
        Javac.compile(dir, Map.of("B", "public interface B<T> { void put(T value); }"));

        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            Class<?> separatelyCompiled = loader.loadClass("p.C");

            assertThatThrownBy(() -> Rpc.proxy(TestAgents.caller(agent), AT, separatelyCompiled, TIMEOUT))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("p.C: ")
                    .hasMessageContaining("are one method to Java, put(java.lang.Object)")
                    .hasMessageContaining("(java.lang.String)").hasMessageContaining("(java.lang.Integer)");
        }
    }

    /** The generic interface services share. */
    public interface Repository<T, K> {
        /** Null if there is none. */
        T get(K id);

        List<T> all();

        CompletionStage<T> save(T item);

        default boolean exists(K id) {
            return get(id) != null;
        }
    }

    public record User(String id, String name, List<String> roles) {
    }

    /** The interface called: Repository's methods with Users and String ids. */
    public interface Users extends Repository<User, String> {
        User byName(String name);
    }

    /** Users as a later version may have it, with get redeclared as Users sees it (and a bridge). */
    public interface Redeclaring extends Repository<User, String> {
        @Override
        User get(String id);
    }

    /** get(String) of its own. */
    public interface Lookup {
        User get(String id);
    }

    /** get(String) twice: from Repository<User, String> and from Lookup. */
    public interface Directory extends Repository<User, String>, Lookup {
    }

    /** Users of every interface above. */
    static final class InMemoryUsers implements Users, Redeclaring, Directory {
        private final Map<String, User> byId = new ConcurrentHashMap<>(Map.of(ADA.id(), ADA, ALAN.id(), ALAN));

        @Override
        public User get(String id) {
            return byId.get(id);
        }

        @Override
        public List<User> all() {
            return byId.values().stream().sorted((a, b) -> a.id().compareTo(b.id())).toList();
        }

        @Override
        public CompletionStage<User> save(User item) {
            byId.put(item.id(), item);
            return CompletableFuture.supplyAsync(() -> item);
        }

        @Override
        public User byName(String name) {
            return byId.values().stream().filter(u -> u.name().equals(name)).findFirst().orElse(null);
        }
    }

    public record Isbn(String value) {
    }

    public record Book(Isbn isbn, String title) {
    }

    /** Generic still: gives Repository's K a type, and passes its own variable on as T. */
    public interface Shelf<P> extends Repository<P, Isbn> {
        List<P> titled(String prefix);
    }

    /** Called: Shelf's P, and so Repository's T, is a Book. */
    public interface Books extends Shelf<Book> {
    }

    static final class InMemoryBooks implements Books {
        private final Map<Isbn, Book> byIsbn = new ConcurrentHashMap<>();

        @Override
        public Book get(Isbn id) {
            return byIsbn.get(id);
        }

        @Override
        public List<Book> all() {
            return List.copyOf(byIsbn.values());
        }

        @Override
        public CompletionStage<Book> save(Book item) {
            byIsbn.put(item.isbn(), item);
            return CompletableFuture.completedFuture(item);
        }

        @Override
        public List<Book> titled(String prefix) {
            return byIsbn.values().stream().filter(b -> b.title().startsWith(prefix)).toList();
        }
    }

    /** X would be whatever the caller wants: Jackson could only guess. */
    public interface Converter {
        <X> X convert(String text, Class<X> type);
    }

    /** Repository's T and K have no type here. */
    @SuppressWarnings("rawtypes")
    public interface RawUsers extends Repository {
    }

    /** Nor here: Shelf is raw, and so is Repository above it (even its K, which Shelf gives a type). */
    @SuppressWarnings("rawtypes")
    public interface RawShelf extends Shelf {
    }

    /** put(List<String>). */
    public interface Strings {
        void put(List<String> values);
    }

    /** put(T). */
    public interface Holder<T> {
        void put(T value);
    }

    /** Two put methods javac accepts, put(List<String>) and put(List<Integer>): one command, two types. */
    public interface Mixed extends Strings, Holder<List<Integer>> {
    }
}

package io.msf.rpc.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.msf.client.api.MessageHandler;
import io.msf.protocol.api.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A value travels as the type its property is declared with, wherever it sits: a subclass's extra
 * properties (a secret, a type Jackson cannot write) stay home. Only a property declared Object, or of
 * a type that names its subclasses to Jackson, travels as the class of what it holds.
 */
class RpcDeclaredTypeTest {

    private static final CBORMapper CBOR = new CBORMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSubclassInARecordComponentTravelsAsTheDeclaredClass() throws Exception {
        assertThat(result("holder")).isEqualTo(JSON.readTree("{\"pet\":{\"name\":\"rex\"}}"));
    }

    @Test
    void aSubclassInAListInsideARecordTravelsAsTheDeclaredClass() throws Exception {
        assertThat(result("pets")).isEqualTo(JSON.readTree("{\"pets\":[{\"name\":\"rex\"}]}"));
    }

    @Test
    void aSubclassWithAPropertyJacksonCannotWriteEncodesAsTheDeclaredClass() throws Exception {
        assertThat(result("cat")).isEqualTo(JSON.readTree("{\"pet\":{\"name\":\"tom\"}}"));
    }

    @Test
    void aBeanPropertyTravelsAsTheDeclaredClass() throws Exception {
        assertThat(result("kennel")).isEqualTo(JSON.readTree("{\"pet\":{\"name\":\"rex\"}}"));
    }

    @Test
    void anInterfaceDeclaredPropertyTravelsAsTheInterfacesGetters() throws Exception {
        assertThat(result("badge")).isEqualTo(JSON.readTree("{\"who\":{\"name\":\"ann\"}}"));
    }

    @Test
    void anObjectDeclaredPropertyTravelsAsWhatItHolds() throws Exception {
        assertThat(result("anything")).isEqualTo(JSON.readTree(
                "{\"value\":{\"name\":\"rex\",\"secret\":\"s3cret\"},\"text\":\"plain\"}"));
    }

    @Test
    void aTypeNamingItsSubclassesTravelsAsTheSubclassWithItsName() throws Exception {
        assertThat(result("drawing")).isEqualTo(JSON.readTree(
                "{\"shape\":{\"@type\":\"circle\",\"sides\":0,\"radius\":2.0}}"));
    }

    @Test
    void containersOfObjectAndJdkInterfacesTravelAsWhatTheyHold() throws Exception {
        assertThat(result("mixed")).isEqualTo(JSON.readTree(
                "{\"values\":{\"a\":1,\"b\":\"x\"},\"items\":[2,\"y\"],\"label\":\"tag\",\"count\":3}"));
    }

    /** What the handler's reply carries as the result of {@code method}, read without types. */
    private static JsonNode result(String method) throws Exception {
        MessageHandler handler = Rpc.handler(Pets.class, new PetShop());
        Message request = Message.request("test.pets", Rpc.command(Pets.class.getMethod(method)), 1, 1000,
                Unpooled.wrappedBuffer(CBOR.writeValueAsBytes(List.of()))).withSource(TestAgents.CALLER_ID);
        ByteBuf reply = handler.handle(request).toCompletableFuture().join();
        try {
            JsonNode array = CBOR.readTree(ByteBufUtil.getBytes(reply));
            assertThat(array.get(0).asInt()).as("returned").isZero();
            return array.get(1);
        } finally {
            reply.release();
            request.release();
        }
    }

    /** Returns subclasses where their superclasses are declared. */
    public interface Pets {
        Holder holder();

        Litter pets();

        Holder cat();

        Kennel kennel();

        Badge badge();

        Anything anything();

        Drawing drawing();

        Mixed mixed();
    }

    static final class PetShop implements Pets {
        @Override
        public Holder holder() {
            return new Holder(new Dog());
        }

        @Override
        public Litter pets() {
            return new Litter(List.of(new Dog()));
        }

        @Override
        public Holder cat() {
            return new Holder(new Cat());
        }

        @Override
        public Kennel kennel() {
            return new Kennel();
        }

        @Override
        public Badge badge() {
            return new Badge(new Person());
        }

        @Override
        public Anything anything() {
            return new Anything(new Dog(), "plain");
        }

        @Override
        public Drawing drawing() {
            return new Drawing(new Circle());
        }

        @Override
        public Mixed mixed() {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("a", 1);
            values.put("b", "x");
            return new Mixed(values, List.of(2, "y"), new StringBuilder("tag"), 3);
        }
    }

    public record Holder(Animal pet) {
    }

    public record Litter(List<Animal> pets) {
    }

    public record Badge(Named who) {
    }

    public record Anything(Object value, Object text) {
    }

    public record Drawing(Shape shape) {
    }

    /** Declared as JDK interfaces and Object containers, which static typing must not reduce to their getters. */
    public record Mixed(Map<String, Object> values, List<Object> items, CharSequence label, Number count) {
    }

    public static class Kennel {
        public Animal getPet() {
            return new Dog();
        }
    }

    public static class Animal {
        public String getName() {
            return "rex";
        }
    }

    public static class Dog extends Animal {
        public String getSecret() {
            return "s3cret";
        }
    }

    /** Jackson cannot write an Instant without a module msf does not ship. */
    public static class Cat extends Animal {
        @Override
        public String getName() {
            return "tom";
        }

        public Instant getBorn() {
            return Instant.EPOCH;
        }
    }

    public interface Named {
        String getName();
    }

    public static class Person implements Named {
        @Override
        public String getName() {
            return "ann";
        }

        public String getPassword() {
            return "pw";
        }
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
    @JsonSubTypes(@JsonSubTypes.Type(value = Circle.class, name = "circle"))
    public abstract static class Shape {
        public int getSides() {
            return 0;
        }
    }

    public static class Circle extends Shape {
        public double getRadius() {
            return 2;
        }
    }
}

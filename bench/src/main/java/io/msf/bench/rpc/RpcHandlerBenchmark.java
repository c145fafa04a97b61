package io.msf.bench.rpc;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.msf.protocol.api.Message;
import io.msf.rpc.api.Rpc;
import io.msf.rpc.api.RpcHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One RPC call as its handler sees it: a REQUEST's CBOR arguments checked against the bounds, decoded,
 * the implementation called on the delivering thread (no executor) and its result encoded. {@code call}:
 * {@code small} is {@code find(String, int)} returning one record, {@code list} is {@code sum(List<Integer>)}
 * with {@code 1000} numbers, where a pass over every token before the decode costs the most.
 *
 * <pre>java -jar bench/target/benchmarks.jar RpcHandlerBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RpcHandlerBenchmark {

    /** The interface called. */
    public interface Catalog {
        Item find(String title, int year);

        long sum(List<Integer> numbers);
    }

    public record Item(String title, int year, List<String> tags) {
    }

    /** Answers at once, so that the handler's own work is what is measured. */
    static final class FixedCatalog implements Catalog {
        private static final Item ITEM = new Item("alpha", 2001, List.of("a", "b"));

        @Override
        public Item find(String title, int year) {
            return ITEM;
        }

        @Override
        public long sum(List<Integer> numbers) {
            long sum = 0;
            for (int n : numbers) {
                sum += n;
            }
            return sum;
        }
    }

    @Param({"small", "list"})
    public String call;

    private RpcHandler handler;
    private int command;
    private byte[] arguments;
    private long sequence;

    @Setup
    public void setUp() throws Exception {
        handler = Rpc.handler(Catalog.class, new FixedCatalog());
        CBORMapper cbor = new CBORMapper();
        if ("small".equals(call)) {
            command = Rpc.command(Catalog.class, Catalog.class.getMethod("find", String.class, int.class));
            arguments = cbor.writeValueAsBytes(List.of("alpha", 2001));
        } else {
            command = Rpc.command(Catalog.class, Catalog.class.getMethod("sum", List.class));
            List<Integer> numbers = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                numbers.add(i * 37);
            }
            arguments = cbor.writeValueAsBytes(List.of(numbers));
        }
        // one call made before measuring: the handler builds its codec at the first
        handle().release();
    }

    @Benchmark
    public int handleRequest() throws Exception {
        ByteBuf reply = handle();
        int size = reply.readableBytes();
        reply.release();
        return size;
    }

    private ByteBuf handle() throws Exception {
        Message request = Message.request("bench.catalog", command, ++sequence, 10_000, Unpooled.wrappedBuffer(arguments));
        return handler.handle(request).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}

package io.msf.agent.internal.broker;

import io.msf.protocol.api.Message;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A peer coming back: it leaves (its subscriptions removed) and subscribes {@code subjects}
 * patterns again, with {@code existing} patterns of other peers in the index. One operation is the
 * whole reconnect (one removeAll plus {@code subjects} adds), a tenth of its patterns wildcards, as
 * in a resubscribe storm; {@code routeCached} is the publish path's lookup of a topic routed before,
 * which a change of the index must not make dearer. In this package (not io.msf.bench) to reach the
 * package-private index; outside OSGi like the other JMH benchmarks.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SubscriptionIndexBenchmark {

    private record Peer(String subscriberLabel) implements Subscriber {
        @Override
        public boolean publication(Message publication) {
            return true;
        }
    }

    @Param({"1000"})
    int subjects;

    @Param({"1000", "10000", "50000"})
    int existing;

    private final SubscriptionIndex index = new SubscriptionIndex();
    private final Subscriber returning = new Peer("returning");
    private String[] patterns;

    @Setup
    public void fill() {
        int perPeer = 500;
        for (int p = 0; p < existing; p += perPeer) {
            Subscriber other = new Peer("other" + p);
            for (int s = 0; s < perPeer && p + s < existing; s++) {
                index.add(pattern(other.subscriberLabel(), s), other);
            }
        }
        patterns = new String[subjects];
        for (int s = 0; s < subjects; s++) {
            patterns[s] = pattern("returning", s);
        }
        index.route("other0.t1");
    }

    private static String pattern(String peer, int s) {
        return peer + ".t" + s + (s % 10 == 0 ? ".>" : "");
    }

    @Benchmark
    public SubscriptionIndex resubscribe() {
        index.removeAll(returning);
        for (String pattern : patterns) {
            index.add(pattern, returning);
        }
        return index;
    }

    @Benchmark
    public SubscriptionIndex.Route routeCached() {
        return index.route("other0.t1");
    }
}

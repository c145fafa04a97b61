package io.msf.shell.internal.command;

import io.msf.agent.api.Agent;
import io.msf.agent.api.AgentListeners;
import io.msf.agent.api.AgentTotals;
import io.msf.agent.api.PeerInfo;
import io.msf.agent.api.TopicInfo;
import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.client.api.Subscription;
import io.msf.config.api.ConfigProblem;
import io.msf.config.api.ConfigValidation;
import io.msf.event.api.EventLoopService;
import io.msf.event.api.EventLoopStats;
import io.msf.event.api.Transport;
import io.msf.log.api.LogConsole;
import io.msf.log.api.LogLine;
import io.msf.mempool.api.ArenaStats;
import io.msf.mempool.api.LeakReport;
import io.msf.mempool.api.MemoryPool;
import io.msf.mempool.api.MemoryPoolAdmin;
import io.msf.mempool.api.PoolUsage;
import io.msf.net.api.EndpointInfo;
import io.msf.net.api.NetworkService;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.timer.api.PendingTimers;
import io.msf.timer.api.Timeout;
import io.msf.timer.api.TimerInfo;
import io.msf.timer.api.TimerService;
import io.msf.timer.api.TimerStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Simple implementations of the core service APIs that report fixed figures, for the commands
 * to format. Operations the commands never call are unsupported.
 */
final class TestServices {

    private TestServices() {
    }

    /** The core services; null means missing. */
    record Fixed(EventLoopService loops, TimerService timerService, MemoryPoolAdmin pool, NetworkService net,
            LogConsole log, ConfigValidation gate, Agent agentService, AgentClient client) implements CoreServices {

        static Fixed none() {
            return new Fixed(null, null, null, null, null, null, null, null);
        }

        Fixed with(EventLoopService value) {
            return new Fixed(value, timerService, pool, net, log, gate, agentService, client);
        }

        Fixed with(TimerService value) {
            return new Fixed(loops, value, pool, net, log, gate, agentService, client);
        }

        Fixed with(MemoryPoolAdmin value) {
            return new Fixed(loops, timerService, value, net, log, gate, agentService, client);
        }

        Fixed with(NetworkService value) {
            return new Fixed(loops, timerService, pool, value, log, gate, agentService, client);
        }

        Fixed with(LogConsole value) {
            return new Fixed(loops, timerService, pool, net, value, gate, agentService, client);
        }

        Fixed with(ConfigValidation value) {
            return new Fixed(loops, timerService, pool, net, log, value, agentService, client);
        }

        Fixed with(Agent value) {
            return new Fixed(loops, timerService, pool, net, log, gate, value, client);
        }

        Fixed with(AgentClient value) {
            return new Fixed(loops, timerService, pool, net, log, gate, agentService, value);
        }

        @Override
        public Optional<Agent> agent() {
            return Optional.ofNullable(agentService);
        }

        /** The agent's listeners: a {@link FixedAgent} that has problems. */
        @Override
        public Optional<AgentListeners> agentListeners() {
            return agentService instanceof AgentListeners listeners ? Optional.of(listeners) : Optional.empty();
        }

        @Override
        public Optional<AgentClient> agentClient() {
            return Optional.ofNullable(client);
        }

        @Override
        public Optional<EventLoopService> eventLoops() {
            return Optional.ofNullable(loops);
        }

        @Override
        public Optional<TimerService> timers() {
            return Optional.ofNullable(timerService);
        }

        @Override
        public Optional<MemoryPoolAdmin> memoryPool() {
            return Optional.ofNullable(pool);
        }

        @Override
        public Optional<NetworkService> network() {
            return Optional.ofNullable(net);
        }

        @Override
        public Optional<LogConsole> logConsole() {
            return Optional.ofNullable(log);
        }

        @Override
        public Optional<ConfigValidation> configGate() {
            return Optional.ofNullable(gate);
        }
    }

    record Loops(Transport transport, List<EventLoopStats> stats) implements EventLoopService {

        @Override
        public EventLoopGroup group(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Set<String> groupNames() {
            return stats.stream().map(EventLoopStats::group).collect(Collectors.toSet());
        }

        @Override
        public Future<?> submit(String group, Runnable task) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ScheduledFuture<?> schedule(String group, Runnable task, long delay, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }
    }

    /**
     * A timer service holding {@code pending}; {@link #asked} records each listing asked of it, owner and
     * limit, in order.
     */
    record Timers(List<TimerInfo> pending, TimerStats stats, java.util.Map<String, TimerStats> statsByOwner,
            List<Asked> asked) implements TimerService {

        /** One call of {@link #pending(String, int)}. */
        record Asked(String owner, int limit) {
        }

        Timers(List<TimerInfo> pending, TimerStats stats) {
            this(pending, stats, java.util.Map.of());
        }

        Timers(List<TimerInfo> pending, TimerStats stats, java.util.Map<String, TimerStats> statsByOwner) {
            this(pending, stats, statsByOwner, new java.util.concurrent.CopyOnWriteArrayList<>());
        }

        @Override
        public Timeout schedule(Runnable task, long delay, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Timeout scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TimerStats ownStats() {
            return new TimerStats(0, 0, 0, 0, 0);
        }

        @Override
        public PendingTimers pending(String owner, int limit) {
            asked.add(new Asked(owner, limit));
            List<TimerInfo> matching = pending.stream().filter(t -> owner == null || owner.equals(t.owner())).toList();
            return new PendingTimers(matching.stream().limit(limit).toList(), matching.size());
        }
    }

    record Pool(List<PoolUsage> usage, ArenaStats arenas, List<LeakReport> leaks) implements MemoryPoolAdmin {

        @Override
        public MemoryPool poolFor(org.osgi.framework.Bundle owner) {
            throw new UnsupportedOperationException();
        }
    }

    record Network(List<EndpointInfo> endpoints) implements NetworkService {

        @Override
        public io.msf.net.api.Endpoint open(io.msf.net.api.EndpointSpec spec, io.msf.net.api.ChannelSetup setup) {
            throw new UnsupportedOperationException();
        }
    }

    record Gate(List<ConfigProblem> rejected) implements ConfigValidation {
    }

    record FixedAgent(List<PeerInfo> peers, List<TopicInfo> topics, AgentTotals totals) implements Agent {
    }

    /** An agent whose listeners have these problems. */
    record AgentWithProblems(List<PeerInfo> peers, List<TopicInfo> topics, AgentTotals totals, List<String> problems)
            implements Agent, AgentListeners {
    }

    /** Answers every request with {@code answer}, recording what it was asked. */
    static final class Client implements AgentClient {
        final List<String> requests = new ArrayList<>();
        private final Function<ByteBuf, ByteBuf> answer;

        Client(Function<ByteBuf, ByteBuf> answer) {
            this.answer = answer;
        }

        @Override
        public Message request(Address to, int command, ByteBuf payload, Duration timeout) {
            try {
                requests.add(to + " " + command + " " + payload.toString(StandardCharsets.UTF_8) + " "
                        + timeout.toMillis());
                return new Message(MessageType.REPLY, 0, ErrorCode.OK, 1001, 7, "", command, 1, 0,
                        answer.apply(payload));
            } finally {
                payload.release();
            }
        }

        @Override
        public int id() {
            return 7;
        }

        @Override
        public String name() {
            return "";
        }

        @Override
        public ByteBufAllocator alloc() {
            return UnpooledByteBufAllocator.DEFAULT;
        }

        @Override
        public CompletionStage<Message> requestAsync(Address to, int command, ByteBuf payload, Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Void> notify(Address to, int command, ByteBuf payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void publish(String topic, int command, ByteBuf payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Subscription subscribe(String pattern, Consumer<Message> listener) {
            throw new UnsupportedOperationException();
        }
    }

    /** Keeps levels in a map and checks them as the log service's contract says. */
    static final class Log implements LogConsole {

        private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

        final Map<String, String> levels = new LinkedHashMap<>();
        private final List<LogLine> lines;
        int tailSize = 1000;

        Log(List<LogLine> lines) {
            this.lines = lines;
            levels.put("ROOT", "INFO");
        }

        @Override
        public List<LogLine> tail(int count) {
            int kept = Math.min(lines.size(), tailSize);
            return lines.subList(lines.size() - Math.min(kept, count), lines.size());
        }

        @Override
        public int tailSize() {
            return tailSize;
        }

        @Override
        public Map<String, String> levels() {
            return Map.copyOf(levels);
        }

        @Override
        public void setLevel(String bundle, String level) {
            String upper = level.toUpperCase(Locale.ROOT);
            if (!LEVELS.contains(upper)) {
                throw new IllegalArgumentException("not a level: " + level);
            }
            levels.put(bundle, upper);
        }

        @Override
        public boolean removeLevel(String bundle) {
            if (bundle.equals("ROOT")) {
                throw new IllegalArgumentException("the root level cannot be removed");
            }
            return levels.remove(bundle) != null;
        }
    }
}

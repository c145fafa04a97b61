package io.msf.client.internal;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Hello;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.protocol.api.Protocol;
import io.msf.protocol.api.Topic;
import io.msf.protocol.codec.FrameDecoder;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** One peer's connection to the {@link FakeAgent}: its session, as docs/protocol.md sections 7-10 describe. */
final class FakeAgentConnection extends ChannelInboundHandlerAdapter {

    /** A HELLO the agent received. */
    record HelloSeen(int id, String name, boolean replace, Hello body) {
    }

    private final FakeAgent agent;
    private final Set<String> patterns = ConcurrentHashMap.newKeySet();
    /** Requests forwarded to this peer, by requester id and sequence, with their timeout. */
    private final Map<String, ScheduledFuture<?>> forwarded = new ConcurrentHashMap<>();
    private final AtomicLong pingSequence = new AtomicLong();
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> pinging;
    private volatile int id;
    private String name = "";
    private boolean registered;

    FakeAgentConnection(FakeAgent agent) {
        this.agent = agent;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Message message = (Message) msg;
        try {
            if (agent.silent) {
                Runnable atPing = agent.whileSilentAtPing;
                if (message.type() == MessageType.PING && atPing != null) {
                    atPing.run();
                }
                return;
            }
            if (!registered) {
                if (message.type() == MessageType.HELLO) {
                    hello(message);
                } else {
                    close(ErrorCode.UNAUTHORIZED, message.type() + " before HELLO");
                }
                return;
            }
            switch (message.type()) {
                case REQUEST -> request(message.retain());
                case NOTIFY -> notification(message.retain());
                case REPLY, ERROR -> answer(message.retain());
                case PUBLISH -> publish(message);
                case SUBSCRIBE -> subscribe(message);
                case UNSUBSCRIBE -> {
                    patterns.remove(message.subject());
                    agent.unsubscribes.add(message.subject());
                    ack(message);
                }
                case PING -> {
                    agent.pings.incrementAndGet();
                    ctx.writeAndFlush(Message.pong(message));
                }
                case PONG -> agent.pongs.add(message.sequence());
                case HELLO -> close(ErrorCode.BAD_FRAME, "second HELLO");
            }
        } finally {
            message.release();
        }
    }

    private void hello(Message hello) {
        Hello offer = Hello.read(hello.payload());
        boolean replace = hello.hasFlag(Message.FLAG_REPLACE);
        agent.hellos.add(new HelloSeen(hello.source(), hello.subject(), replace, offer));
        int version = offer.highestCommonVersion(agent.minVersion, agent.maxVersion);
        int claimed = hello.source();
        String claimedName = hello.subject();
        if (agent.lateHellos.getAndUpdate(late -> Math.max(0, late - 1)) > 0) {
            close(ErrorCode.UNAUTHORIZED, "no HELLO within 100 ms");
        } else if (version == 0) {
            close(ErrorCode.UNSUPPORTED_VERSION, "this agent speaks " + agent.minVersion + ".." + agent.maxVersion);
        } else if (!Arrays.equals(offer.token(), agent.token)) {
            close(ErrorCode.UNAUTHORIZED, "missing or wrong token");
        } else if (agent.reservedIds.contains(claimed) || claimed < 0
                || taken(agent.byId.get(claimed), replace)) {
            close(ErrorCode.DUPLICATE_ID, "id " + Integer.toUnsignedString(claimed) + " is taken");
        } else if (agent.reservedNames.contains(claimedName) || taken(agent.byName.get(claimedName), replace)) {
            close(ErrorCode.DUPLICATE_NAME, "name '" + claimedName + "' is taken");
        } else {
            evict(agent.byId.get(claimed), ErrorCode.DUPLICATE_ID);
            evict(agent.byName.get(claimedName), ErrorCode.DUPLICATE_NAME);
            id = claimed == 0 ? agent.nextAssignedId.getAndIncrement() : claimed;
            name = claimedName;
            registered = true;
            agent.byId.put(id, this);
            if (!name.isEmpty()) {
                agent.byName.put(name, this);
            }
            if (version >= Protocol.MIN_VERSION && version <= Protocol.MAX_VERSION) {
                // frames past the smallest limit from here, as the agent takes them (not a version only tests speak)
                ctx.pipeline().get(FrameDecoder.class).agreedVersion(version);
            }
            Hello answer = new Hello(version, version, agent.maxFrameBytes, agent.heartbeatMillis, null);
            Integer grantId = agent.grantId;
            String grantName = agent.grantName;
            ctx.writeAndFlush(new Message(MessageType.HELLO, 0, ErrorCode.OK, agent.helloSource,
                    grantId == null ? id : grantId, grantName == null ? name : grantName, 0, 0, 0,
                    answer.write(ctx.alloc())));
            if (agent.dropAfterHello) {
                ctx.close();
                return;
            }
            if (agent.heartbeatMillis > 0) {
                pinging = ctx.executor().scheduleAtFixedRate(() -> {
                    if (!agent.silent) {
                        ctx.writeAndFlush(Message.ping(pingSequence.incrementAndGet()));
                    }
                }, agent.heartbeatMillis, agent.heartbeatMillis, TimeUnit.MILLISECONDS);
            }
        }
    }

    private boolean taken(FakeAgentConnection holder, boolean replace) {
        return holder != null && holder != this && !replace;
    }

    private void evict(FakeAgentConnection holder, ErrorCode why) {
        if (holder != null && holder != this) {
            holder.forget();
            holder.close(why, "taken over by a new connection");
        }
    }

    /** A REQUEST (retained): to a built-in peer or forwarded, with the agent's timeout. */
    private void request(Message request) {
        String to = request.subject();
        if (to.equals(FakeAgent.ECHO)) {
            ctx.writeAndFlush(new Message(MessageType.REPLY, 0, ErrorCode.OK, 0, id, "", request.command(),
                    request.sequence(), 0, request.payload().retain()));
            request.release();
        } else if (to.equals(FakeAgent.BLACKHOLE)) {
            agent.swallowed.incrementAndGet();
            request.release();
        } else if (to.equals(FakeAgent.SILENT)) {
            ctx.executor().schedule(() -> {
                failBack(request, ErrorCode.TIMEOUT, "no reply within " + request.timeoutMillis() + " ms");
                agent.silentTimeouts.incrementAndGet();
            }, request.timeoutMillis() + agent.silentLateByMillis, TimeUnit.MILLISECONDS);
            request.release();
        } else {
            FakeAgentConnection target = to.isEmpty() ? agent.byId.get(request.destination()) : agent.byName.get(to);
            if (target == null) {
                failBack(request, ErrorCode.PEER_OFFLINE, "no peer " + (to.isEmpty() ? "#" + request.destination() : to));
                request.release();
                return;
            }
            String key = id + "/" + request.sequence();
            int timeout = request.timeoutMillis() == 0 ? 30_000 : request.timeoutMillis();
            target.forwarded.put(key, ctx.executor().schedule(() -> {
                if (target.forwarded.remove(key) != null) {
                    failBack(request, ErrorCode.TIMEOUT, "no reply within " + timeout + " ms");
                }
            }, timeout, TimeUnit.MILLISECONDS));
            target.ctx.writeAndFlush(request.withSource(id));
        }
    }

    private void notification(Message notification) {
        String to = notification.subject();
        FakeAgentConnection target = to.isEmpty() ? agent.byId.get(notification.destination()) : agent.byName.get(to);
        if (target == null) {
            failBack(notification, ErrorCode.PEER_OFFLINE, "no peer " + (to.isEmpty() ? "#" + notification.destination() : to));
            notification.release();
        } else {
            target.ctx.writeAndFlush(notification.withSource(id));
        }
    }

    /** A REPLY or ERROR (retained) from this peer: back to the requester, unless the timeout ran out first. */
    private void answer(Message answer) {
        if (answer.hasFlag(Message.FLAG_CLOSING)) {
            agent.closingErrors.add(answer.error() + ": " + FakeAgent.text(answer.payload()));
            answer.release();
            return;
        }
        ScheduledFuture<?> timeout = forwarded.remove(answer.destination() + "/" + answer.sequence());
        FakeAgentConnection requester = agent.byId.get(answer.destination());
        if (timeout == null || requester == null) {
            answer.release(); // late: the requester got its TIMEOUT already
            return;
        }
        timeout.cancel(false);
        requester.ctx.writeAndFlush(answer.withSource(id));
    }

    private void publish(Message publication) {
        try {
            Topic.checkTopic(publication.subject());
        } catch (IllegalArgumentException e) {
            failBack(publication, ErrorCode.INVALID_SUBJECT, e.getMessage());
            return;
        }
        for (FakeAgentConnection peer : agent.byId.values()) {
            if (peer.patterns.stream().anyMatch(p -> Topic.matches(p, publication.subject()))) {
                peer.ctx.writeAndFlush(new Message(MessageType.PUBLISH, 0, ErrorCode.OK, id, peer.id,
                        publication.subject(), publication.command(), publication.sequence(), 0,
                        publication.payload().retainedDuplicate()));
            }
        }
    }

    private void subscribe(Message subscribe) {
        try {
            Topic.checkPattern(subscribe.subject());
        } catch (IllegalArgumentException e) {
            failBack(subscribe, ErrorCode.INVALID_SUBJECT, e.getMessage());
            return;
        }
        patterns.add(subscribe.subject());
        agent.subscribes.add(subscribe.subject());
        ack(subscribe);
    }

    private void ack(Message frame) {
        ctx.writeAndFlush(new Message(MessageType.REPLY, 0, ErrorCode.OK, 0, id, "", 0, frame.sequence(), 0,
                Unpooled.EMPTY_BUFFER));
    }

    /** An ERROR to this peer for one of its frames. */
    private void failBack(Message frame, ErrorCode code, String detail) {
        ctx.writeAndFlush(new Message(MessageType.ERROR, 0, code, 0, id, "", frame.command(), frame.sequence(), 0,
                ByteBufUtil.writeUtf8(ctx.alloc(), detail)));
    }

    private void close(ErrorCode code, String detail) {
        ctx.writeAndFlush(Message.closingError(code, ByteBufUtil.writeUtf8(ctx.alloc(), detail)))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void forget() {
        agent.byId.remove(id, this);
        agent.byName.remove(name, this);
        registered = false;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        forget();
        if (pinging != null) {
            pinging.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}

package io.msf.net.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.Native;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.service.log.Logger;

/**
 * Keeps an epoll stream connection in its event loop's epoll set once its input has ended, so that an answer
 * written after that is not cut.
 *
 * <p>Why: since netty/netty#16689 (Netty 4.2.18 and 4.2.20 alike), a channel whose interest set becomes
 * empty is taken out of the epoll set ({@code EPOLL_CTL_DEL}) but still counted as in it; the next interest
 * is then an {@code EPOLL_CTL_MOD}, which fails with ENOENT, and Netty shuts the output down, cutting what
 * is queued. A connection whose peer has shut down its output has no read interest left (Netty clears
 * EPOLLIN and EPOLLRDHUP just after the end of the input is told), so its set empties at once, and again
 * each time its written bytes have drained: a later answer larger than the socket buffer then loses its
 * tail. EPOLLERR, added when the end of the input is told (before Netty clears the read interest), keeps
 * the set from ever emptying; the kernel reports EPOLLERR whatever the set says, so no event changes. Before
 * that, Netty's own EPOLLRDHUP keeps the set from emptying, but for a connection whose reading is paused
 * when its peer closes: that one is left to Netty as it is. This can go once Netty keeps the registration
 * right.
 *
 * <p>The interest becomes edge-triggered (EPOLLET) at the same moment: the kernel reports EPOLLHUP whatever
 * the set says too, for a Unix-socket peer that closes after its half-close or a TCP peer that resets the
 * connection then, and Netty acts on it only through EPOLLIN or EPOLLRDHUP, which are gone by then;
 * level-triggered, that one EPOLLHUP would wake the loop again and again until the connection closes
 * (netty/netty#16683, the busy loop that netty/netty#16689 ended with its EPOLL_CTL_DEL). Edge-triggered
 * it is reported once. Only EPOLLOUT is left to wait for by then, which Netty asks for after a write that
 * could not finish, so a further edge always comes (EPOLL_CTL_MOD reports a socket writable already at
 * once). The handler goes first in the pipeline so that it sees the end of the input before any owner's
 * handler holds it back. Netty's server and datagram channels keep EPOLLERR in their sets themselves;
 * only its stream channels go without.
 *
 * <p>{@code AbstractEpollChannel.setFlag} is protected (and the channel classes final): it is called by
 * reflection on the connection's loop. A Netty without that method is logged once at WARN (answers written
 * after the end of the input may be cut), and the connection goes on as Netty has it.
 */
@Sharable
final class EpollRegistrationKeeper extends ChannelInboundHandlerAdapter {

    private static final Method SET_FLAG = setFlag();

    private final Logger log;
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    EpollRegistrationKeeper(Logger log) {
        this.log = log;
    }

    /** Whether {@code channel} needs this handler: an epoll stream connection, TCP or Unix socket. */
    static boolean needed(Channel channel) {
        return channel instanceof AbstractEpollStreamChannel;
    }

    /**
     * Told while Netty still has EPOLLRDHUP in the set: the set is never empty from here on. The flags stay
     * with the channel, so the handler leaves the pipeline then: an input ends once.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            setFlag(ctx.channel(), Native.EPOLLET);
            setFlag(ctx.channel(), Native.EPOLLERR);
            ctx.fireUserEventTriggered(event);
            if (!ctx.isRemoved()) { // a handler may have removed it, or fired the event again from the head
                ctx.pipeline().remove(this);
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    private void setFlag(Channel channel, int flag) {
        if (SET_FLAG == null) {
            notKept("this Netty's epoll channels have no setFlag(int) to call", null);
            return;
        }
        try {
            SET_FLAG.invoke(channel, flag);
        } catch (InvocationTargetException e) {
            // The connection failed meanwhile (an I/O error on its descriptor): Netty tells its owner.
            log.debug("could not change the epoll interest of {}: {}", channel, e.getCause().toString());
        } catch (IllegalAccessException | RuntimeException e) {
            notKept(e.toString(), e);
        }
    }

    private void notKept(String why, Throwable e) {
        if (failureLogged.compareAndSet(false, true)) {
            log.warn("epoll connections are not kept in the epoll set (an answer written after the end of the"
                    + " input may be cut): {}", why, e);
        }
    }

    /** The method where Netty declares it (AbstractEpollChannel, which is not public); null if none. */
    private static Method setFlag() {
        for (Class<?> type = AbstractEpollStreamChannel.class; type != null; type = type.getSuperclass()) {
            try {
                Method method = type.getDeclaredMethod("setFlag", int.class);
                method.setAccessible(true);
                return method;
            } catch (NoSuchMethodException e) {
                // declared higher up, if at all
            } catch (RuntimeException e) {
                return null; // not accessible: told at the first connection, through the endpoint's log
            }
        }
        return null;
    }
}

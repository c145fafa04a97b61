package io.msf.event.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A container group as bundles get it: everything but shutting it down. The group is shared by every
 * service, so the usual Netty {@code group.shutdownGracefully()} in a bundle's deactivate would stop the
 * network I/O of the whole container; msf shuts its groups down itself (msf.event changed, or stopped).
 */
final class SharedLoopGroup implements EventLoopGroup {

    private final String name;
    private final EventLoopGroup group;

    SharedLoopGroup(String name, EventLoopGroup group) {
        this.name = name;
        this.group = group;
    }

    private UnsupportedOperationException refused() {
        return new UnsupportedOperationException("the event-loop group '" + name + "' is shared by the whole"
                + " container and is shut down by msf, not by a bundle");
    }

    @Override
    public Future<?> shutdownGracefully() {
        throw refused();
    }

    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        throw refused();
    }

    @Override
    @Deprecated
    public void shutdown() {
        throw refused();
    }

    @Override
    @Deprecated
    public List<Runnable> shutdownNow() {
        throw refused();
    }

    @Override
    public boolean isShuttingDown() {
        return group.isShuttingDown();
    }

    @Override
    public Future<?> terminationFuture() {
        return group.terminationFuture();
    }

    @Override
    public boolean isShutdown() {
        return group.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return group.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return group.awaitTermination(timeout, unit);
    }

    @Override
    public EventLoop next() {
        return group.next();
    }

    @Override
    public Iterator<EventExecutor> iterator() {
        return group.iterator();
    }

    @Override
    public ChannelFuture register(Channel channel) {
        return group.register(channel);
    }

    @Override
    public ChannelFuture register(ChannelPromise promise) {
        return group.register(promise);
    }

    @Override
    @Deprecated
    public ChannelFuture register(Channel channel, ChannelPromise promise) {
        return group.register(channel, promise);
    }

    @Override
    public Future<?> submit(Runnable task) {
        return group.submit(task);
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        return group.submit(task, result);
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return group.submit(task);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return group.schedule(command, delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return group.schedule(callable, delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return group.scheduleAtFixedRate(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return group.scheduleWithFixedDelay(command, initialDelay, delay, unit);
    }

    @Override
    public <T> List<java.util.concurrent.Future<T>> invokeAll(Collection<? extends Callable<T>> tasks)
            throws InterruptedException {
        return group.invokeAll(tasks);
    }

    @Override
    public <T> List<java.util.concurrent.Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout,
            TimeUnit unit) throws InterruptedException {
        return group.invokeAll(tasks, timeout, unit);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        return group.invokeAny(tasks);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return group.invokeAny(tasks, timeout, unit);
    }

    @Override
    public Ticker ticker() {
        return group.ticker();
    }

    @Override
    public void execute(Runnable command) {
        group.execute(command);
    }

    @Override
    public String toString() {
        return group.toString();
    }
}

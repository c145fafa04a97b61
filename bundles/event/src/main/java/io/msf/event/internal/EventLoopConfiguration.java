package io.msf.event.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "msf event loops",
        description = "The Netty event-loop groups shared by the container. A change of a group's thread count"
                + " (both groups for the transport) starts a new group, restarts the services using the"
                + " event loops on it, and lets the old group run what it queued and stop; the other group"
                + " keeps running. Other changes apply in place.")
@interface EventLoopConfiguration {

    @AttributeDefinition(name = "I/O threads", min = "0", max = "1024",
            description = "Event loops of the 'io' group, which runs network I/O; 0 = half the CPU cores, at least one.")
    int ioThreads() default 0;

    @AttributeDefinition(name = "Worker threads", min = "0", max = "1024",
            description = "Event loops of the 'worker' group, for short non-blocking service work kept off the"
                    + " I/O loops; 0 = one per CPU core.")
    int workerThreads() default 0;

    // No Metatype options: they would be matched exactly, where the loops read the word in any case;
    // TransportCheck tells the config gate what they take.
    @AttributeDefinition(name = "Transport",
            description = "The I/O mechanism, in any case: auto = epoll where Netty's native epoll library loads, NIO"
                    + " otherwise; epoll = epoll, refused with an error where it does not load (the loops keep their"
                    + " previous settings, the defaults at start); nio = Java NIO.")
    String transport() default "auto";

    @AttributeDefinition(name = "Shutdown quiet period (ms)", min = "0", max = "60000",
            description = "When groups stop, they keep running tasks until none arrived for this long.")
    long shutdownQuietMillis() default LoopSettings.DEFAULT_QUIET_MILLIS;

    @AttributeDefinition(name = "Shutdown timeout (ms)", min = "0", max = "300000",
            description = "The longest a stopping group waits for its quiet period. It ends no task: a loop runs"
                    + " every task queued before it looks at the time, and once more after it stops taking"
                    + " tasks, so a long queue, or a task that blocks, makes the stop take longer; only tasks"
                    + " scheduled for later and not yet due are dropped, as the stop begins.")
    long shutdownTimeoutMillis() default LoopSettings.DEFAULT_TIMEOUT_MILLIS;

    @AttributeDefinition(name = "Most pending tasks per bundle", min = "1", max = "10000000",
            description = "The most tasks one bundle may have submitted or scheduled through the event-loop service"
                    + " and not yet run; one more is refused (RejectedExecutionException), so that a bundle that"
                    + " submits faster than the loops run its tasks cannot fill the heap and hold up the others.")
    int maxPendingTasksPerBundle() default LoopSettings.DEFAULT_MAX_PENDING_PER_BUNDLE;

    @AttributeDefinition(name = "Most executors per bundle", min = "1", max = "1024",
            description = "The most thread pools one bundle may have from the executor service (ServiceExecutors) and"
                    + " not yet ended; one more is refused (IllegalStateException), so that a bundle creating a pool"
                    + " per request cannot run the container out of threads. A change applies to the pools asked for"
                    + " next and leaves the bundles' pools running.")
    int maxExecutorsPerBundle() default BundleExecutors.DEFAULT_MAX_EXECUTORS_PER_BUNDLE;
}

package io.msf.event.api;

/**
 * Figures of one event-loop group at one moment.
 *
 * @param group the group's name
 * @param transport the transport its loops use
 * @param threads the number of event loops (threads) in the group
 * @param pendingTasks tasks queued on the group's loops to run as soon as a loop is free; a task scheduled
 *     for later is not counted until it is due (Netty keeps those apart)
 * @param tasksRun tasks submitted through the service that have run
 * @param tasksCancelled tasks submitted through the service that the container cancelled before they ran:
 *     when the bundle that submitted them released the service (it stopped, or a service of its restarted
 *     while it runs on), when a replacement of the groups restarted their submitter (those not yet due on
 *     the group kept), and when a group stopped with tasks that reached it too late to run; not those the
 *     submitter cancelled itself
 *     <p>Both counters go on across a replacement of the group (msf.event changed its threads or transport),
 *     and count the tasks the replaced group still runs; they start from zero only when the event bundle does.
 */
public record EventLoopStats(String group, Transport transport, int threads, long pendingTasks,
        long tasksRun, long tasksCancelled) {
}

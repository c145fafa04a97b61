package io.msf.timer.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what the timers report, for assertions. */
class RecordingEvents implements TimerEvents {

    record TaskFailure(String owner, Runnable task, boolean periodicCancelled, Throwable error) {
    }

    final List<TaskFailure> taskFailures = new CopyOnWriteArrayList<>();
    final List<Throwable> workerFailures = new CopyOnWriteArrayList<>();
    final List<String> closedOwners = new CopyOnWriteArrayList<>();
    final List<WheelSettings> reconfigurations = new CopyOnWriteArrayList<>();
    /** Owners whose task left the thread interrupted, as told. */
    final List<String> interruptingOwners = new CopyOnWriteArrayList<>();
    /** "owner:task" of each task told to have held the thread. */
    final List<String> holdingTasks = new CopyOnWriteArrayList<>();
    /** "owner:hold" of each owner closed without waiting for the thread. */
    final List<String> ownersLeftToWorker = new CopyOnWriteArrayList<>();

    @Override
    public void taskFailed(String owner, Runnable task, boolean periodicCancelled, Throwable error) {
        taskFailures.add(new TaskFailure(owner, task, periodicCancelled, error));
    }

    @Override
    public void workerFailed(Throwable error) {
        workerFailures.add(error);
    }

    @Override
    public void taskLeftInterrupt(String owner, Runnable task) {
        interruptingOwners.add(owner);
    }

    @Override
    public void taskHeldWorker(String owner, Runnable task, long heldNanos) {
        holdingTasks.add(owner + ":" + task);
    }

    @Override
    public void ownerClosed(String owner, long cancelledTimers) {
        closedOwners.add(owner + ":" + cancelledTimers);
    }

    @Override
    public void ownerSweepLeft(String owner, TaskHold hold) {
        ownersLeftToWorker.add(owner + ":" + hold);
    }

    @Override
    public void ownerSweepLate(String owner, RuntimeException cause) {
        closedOwners.add(owner + ":late");
    }

    @Override
    public void reconfigured(WheelSettings settings, long pendingTimers) {
        reconfigurations.add(settings);
    }
}

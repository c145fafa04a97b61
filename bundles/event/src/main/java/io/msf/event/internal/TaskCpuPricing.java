package io.msf.event.internal;

/**
 * Turns the wall-clock time of a bundle's loop tasks into CPU time, pricing each stretch of wall-clock
 * time once, at the CPU/wall ratio of the tasks measured while it accrued. Pricing all past time at the
 * all-time ratio instead would re-price history whenever the ratio moves: a bundle whose tasks turn
 * CPU-bound after hours of waiting would show a burst of thousands of percent, and one whose tasks start
 * waiting would stay frozen at its old estimate. Not thread-safe: its account guards it.
 */
final class TaskCpuPricing {

    private long pricedWall;
    private long measuredCpuSeen;
    private long measuredWallSeen;
    private long cpu;

    /**
     * Prices the wall-clock time added since the last call.
     *
     * @param wallSum wall-clock time of every task so far
     * @param measuredCpu CPU time of the measured tasks so far
     * @param measuredWall wall-clock time of the measured tasks so far
     * @return the CPU time of every task so far; never less than the last result
     */
    long price(long wallSum, long measuredCpu, long measuredWall) {
        long newWall = Math.max(0, wallSum - pricedWall);
        long newMeasuredWall = measuredWall - measuredWallSeen;
        double cpuPerWall;
        if (newMeasuredWall > 0) {
            cpuPerWall = ratio(measuredCpu - measuredCpuSeen, newMeasuredWall);
        } else if (measuredWall > 0) {
            // None of the new tasks was measured (1 in 64 is): the best guess is how the bundle behaved so far.
            cpuPerWall = ratio(measuredCpu, measuredWall);
        } else {
            // Nothing measured yet: loop tasks should not block, so count their duration.
            cpuPerWall = 1;
        }
        cpu += (long) (newWall * cpuPerWall);
        pricedWall = Math.max(pricedWall, wallSum);
        measuredCpuSeen = Math.max(measuredCpuSeen, measuredCpu);
        measuredWallSeen = Math.max(measuredWallSeen, measuredWall);
        return cpu;
    }

    private static double ratio(long cpu, long wall) {
        return Math.max(0, Math.min(1, (double) cpu / wall));
    }
}

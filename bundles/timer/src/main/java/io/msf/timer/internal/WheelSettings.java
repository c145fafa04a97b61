package io.msf.timer.internal;

import io.msf.settings.ConfigValues;
import java.util.concurrent.TimeUnit;

/**
 * The wheel's geometry and bound, checked. A bad value is refused as a whole with a message
 * naming the key, so that the caller can keep the last good settings.
 *
 * @param tickMillis how often the wheel turns; the timers' resolution
 * @param wheelSize slots per turn, a power of two
 * @param maxPending how many timers may be pending at once
 */
public record WheelSettings(long tickMillis, int wheelSize, long maxPending) {

    public static final long MIN_TICK_MILLIS = 1;
    public static final long MAX_TICK_MILLIS = 1000;
    public static final int MIN_WHEEL_SIZE = 16;
    public static final int MAX_WHEEL_SIZE = 65536;
    public static final long MAX_MAX_PENDING = 100_000_000;
    public static final WheelSettings DEFAULTS = new WheelSettings(10, 512, 1_000_000);

    public WheelSettings {
        if (tickMillis < MIN_TICK_MILLIS || tickMillis > MAX_TICK_MILLIS) {
            throw new IllegalArgumentException("tickMillis must be between " + MIN_TICK_MILLIS
                    + " and " + MAX_TICK_MILLIS + ", was " + tickMillis);
        }
        if (wheelSize < MIN_WHEEL_SIZE || wheelSize > MAX_WHEEL_SIZE || Integer.bitCount(wheelSize) != 1) {
            throw new IllegalArgumentException("wheelSize must be a power of two between "
                    + MIN_WHEEL_SIZE + " and " + MAX_WHEEL_SIZE + ", was " + wheelSize);
        }
        if (maxPending < 1 || maxPending > MAX_MAX_PENDING) {
            throw new IllegalArgumentException("maxPending must be between 1 and "
                    + MAX_MAX_PENDING + ", was " + maxPending);
        }
    }

    static WheelSettings of(TimerEngineConfiguration configured) {
        TimerEngineConfiguration config = ConfigValues.naming(TimerEngineConfiguration.class, configured);
        return new WheelSettings(config.tickMillis(), config.wheelSize(), config.maxPending());
    }

    @Override
    public String toString() {
        return "tickMillis=" + tickMillis + ", wheelSize=" + wheelSize + ", maxPending=" + maxPending;
    }

    long tickNanos() {
        return TimeUnit.MILLISECONDS.toNanos(tickMillis);
    }
}

package io.msf.timer.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(
        name = "msf timer wheel",
        description = "The hashed timing wheel behind the msf TimerService. A change of tick or wheel"
                + " size rebuilds the wheel and keeps every pending timer.")
@interface TimerEngineConfiguration {

    @AttributeDefinition(
            name = "Tick (ms)",
            description = "How often the wheel turns, the timers' resolution: a timer fires no earlier than"
                    + " its delay and, while the timer thread keeps up, at most two ticks later. Smaller ticks"
                    + " wake the timer thread more often while timers keep arriving (otherwise it sleeps until"
                    + " the next timer's tick, or a turn for timers further away, and entirely while no timer"
                    + " is pending).",
            min = "1", max = "1000")
    long tickMillis() default 10;

    @AttributeDefinition(
            name = "Wheel size",
            description = "Slots per turn of the wheel, a power of two. One turn lasts tickMillis x wheelSize;"
                    + " timers further away wait for later turns in their slot.",
            options = {
                @Option(label = "16", value = "16"), @Option(label = "32", value = "32"),
                @Option(label = "64", value = "64"), @Option(label = "128", value = "128"),
                @Option(label = "256", value = "256"), @Option(label = "512", value = "512"),
                @Option(label = "1024", value = "1024"), @Option(label = "2048", value = "2048"),
                @Option(label = "4096", value = "4096"), @Option(label = "8192", value = "8192"),
                @Option(label = "16384", value = "16384"), @Option(label = "32768", value = "32768"),
                @Option(label = "65536", value = "65536")
            })
    int wheelSize() default 512;

    @AttributeDefinition(
            name = "Maximum pending timers",
            description = "How many timers all bundles together may have pending; scheduling beyond it"
                    + " throws IllegalStateException naming the bundle. Bounds the memory timers can take;"
                    + " schedule() calls in progress at the same moment may each pass it by one timer. While a"
                    + " timer task has held the timer thread for a second or more, timers cancelled before the"
                    + " thread took them in count too, until the task returns: they wait in memory for it.",
            min = "1", max = "100000000")
    long maxPending() default 1_000_000;
}

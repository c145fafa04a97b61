package io.msf.log.internal.bridge;

import io.msf.log.internal.LineFormat;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.slf4j.ILoggerFactory;

/**
 * The SLF4J logger factory of the binding in {@code org.slf4j.impl}: SLF4J loggers forward to the
 * OSGi LoggerFactory once one is {@linkplain #attach attached}. SLF4J looks its binding up
 * statically, possibly long before the Log Service is there, so until then INFO and above are held
 * (up to a bound; beyond it they go to standard error) and handed over on attach.
 */
public final class Slf4jRouter implements ILoggerFactory {

    static final int HELD_RECORDS = 1000;
    private static final Slf4jRouter INSTANCE = new Slf4jRouter(HELD_RECORDS, System.err);

    private final ConcurrentMap<String, Slf4jLogger> loggers = new ConcurrentHashMap<>();
    private final int capacity;
    private final PrintStream overflow;
    /** Records logged while no factory was attached; also the lock for attach and detach. */
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private volatile LoggerFactory target;
    /** Bumped on every level change: loggers keep their level checks until it moves. */
    private volatile int levelGeneration;

    Slf4jRouter(int capacity, PrintStream overflow) {
        this.capacity = capacity;
        this.overflow = overflow;
    }

    /** The router SLF4J's static binding uses. */
    public static Slf4jRouter instance() {
        return INSTANCE;
    }

    /** Forwards SLF4J to {@code factory} from now on, first handing over the records held so far. */
    public void attach(LoggerFactory factory) {
        List<Held> early;
        synchronized (held) {
            target = factory;
            early = new ArrayList<>(held);
            held.clear();
        }
        for (Held record : early) {
            Logger logger = factory.getLogger(record.name);
            if (Forwarding.isEnabled(logger, record.level)) {
                Forwarding.log(logger, record.level, record.message, record.thrown);
            }
        }
    }

    /** Holds SLF4J records again, until the next {@link #attach}. */
    public void detach() {
        synchronized (held) {
            target = null;
        }
    }

    /**
     * Says that log levels changed: every logger checks its levels with the Log Service again.
     * Until then they answer {@code isXxxEnabled} from what they last read, because asking the
     * Log Service each time is costly (Felix builds a context name per call) and some callers ask
     * per buffer (Netty's leak detector).
     */
    public synchronized void levelsChanged() {
        levelGeneration++;
    }

    int levelGeneration() {
        return levelGeneration;
    }

    @Override
    public org.slf4j.Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new Slf4jLogger(n, this));
    }

    /** The attached factory, or null while records are held. */
    LoggerFactory target() {
        return target;
    }

    /** Holds a record logged while no factory is attached; false if one was attached meanwhile. */
    boolean hold(String name, LogLevel level, String message, Throwable thrown) {
        synchronized (held) {
            if (target != null) {
                return false;
            }
            if (held.size() < capacity) {
                held.add(new Held(name, level, message, thrown));
            } else {
                // Made printable as the log's own lines are: a peer's text in a message must not drive the terminal.
                overflow.println(Instant.now() + " " + level + " [slf4j, before the log started] " + name + ": "
                        + LineFormat.printable(message));
                if (thrown != null) {
                    overflow.print(LineFormat.printable(LineFormat.stackTrace(thrown)));
                }
            }
            return true;
        }
    }

    private record Held(String name, LogLevel level, String message, Throwable thrown) {
    }
}

package io.msf.log.internal.bridge;

import org.osgi.service.log.LogLevel;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MarkerIgnoringBase;
import org.slf4j.helpers.MessageFormatter;

/**
 * An SLF4J logger whose records go to the OSGi Logger of the same name. The level check comes
 * first, so a record below its level is neither formatted nor created.
 */
final class Slf4jLogger extends MarkerIgnoringBase {

    private static final long serialVersionUID = 1L;

    private final transient Slf4jRouter router;
    /**
     * The OSGi logger of the factory last seen (it changes when the log restarts) and the levels it
     * let through when last asked.
     */
    private transient volatile Bound bound;

    Slf4jLogger(String name, Slf4jRouter router) {
        this.name = name;
        this.router = router;
    }

    @Override
    public boolean isTraceEnabled() {
        return isEnabled(LogLevel.TRACE);
    }

    @Override
    public void trace(String msg) {
        log(LogLevel.TRACE, msg, null);
    }

    @Override
    public void trace(String format, Object arg) {
        if (isEnabled(LogLevel.TRACE)) {
            forward(LogLevel.TRACE, MessageFormatter.format(format, arg));
        }
    }

    @Override
    public void trace(String format, Object arg1, Object arg2) {
        if (isEnabled(LogLevel.TRACE)) {
            forward(LogLevel.TRACE, MessageFormatter.format(format, arg1, arg2));
        }
    }

    @Override
    public void trace(String format, Object... arguments) {
        if (isEnabled(LogLevel.TRACE)) {
            forward(LogLevel.TRACE, MessageFormatter.arrayFormat(format, arguments));
        }
    }

    @Override
    public void trace(String msg, Throwable t) {
        log(LogLevel.TRACE, msg, t);
    }

    @Override
    public boolean isDebugEnabled() {
        return isEnabled(LogLevel.DEBUG);
    }

    @Override
    public void debug(String msg) {
        log(LogLevel.DEBUG, msg, null);
    }

    @Override
    public void debug(String format, Object arg) {
        if (isEnabled(LogLevel.DEBUG)) {
            forward(LogLevel.DEBUG, MessageFormatter.format(format, arg));
        }
    }

    @Override
    public void debug(String format, Object arg1, Object arg2) {
        if (isEnabled(LogLevel.DEBUG)) {
            forward(LogLevel.DEBUG, MessageFormatter.format(format, arg1, arg2));
        }
    }

    @Override
    public void debug(String format, Object... arguments) {
        if (isEnabled(LogLevel.DEBUG)) {
            forward(LogLevel.DEBUG, MessageFormatter.arrayFormat(format, arguments));
        }
    }

    @Override
    public void debug(String msg, Throwable t) {
        log(LogLevel.DEBUG, msg, t);
    }

    @Override
    public boolean isInfoEnabled() {
        return isEnabled(LogLevel.INFO);
    }

    @Override
    public void info(String msg) {
        log(LogLevel.INFO, msg, null);
    }

    @Override
    public void info(String format, Object arg) {
        if (isEnabled(LogLevel.INFO)) {
            forward(LogLevel.INFO, MessageFormatter.format(format, arg));
        }
    }

    @Override
    public void info(String format, Object arg1, Object arg2) {
        if (isEnabled(LogLevel.INFO)) {
            forward(LogLevel.INFO, MessageFormatter.format(format, arg1, arg2));
        }
    }

    @Override
    public void info(String format, Object... arguments) {
        if (isEnabled(LogLevel.INFO)) {
            forward(LogLevel.INFO, MessageFormatter.arrayFormat(format, arguments));
        }
    }

    @Override
    public void info(String msg, Throwable t) {
        log(LogLevel.INFO, msg, t);
    }

    @Override
    public boolean isWarnEnabled() {
        return isEnabled(LogLevel.WARN);
    }

    @Override
    public void warn(String msg) {
        log(LogLevel.WARN, msg, null);
    }

    @Override
    public void warn(String format, Object arg) {
        if (isEnabled(LogLevel.WARN)) {
            forward(LogLevel.WARN, MessageFormatter.format(format, arg));
        }
    }

    @Override
    public void warn(String format, Object arg1, Object arg2) {
        if (isEnabled(LogLevel.WARN)) {
            forward(LogLevel.WARN, MessageFormatter.format(format, arg1, arg2));
        }
    }

    @Override
    public void warn(String format, Object... arguments) {
        if (isEnabled(LogLevel.WARN)) {
            forward(LogLevel.WARN, MessageFormatter.arrayFormat(format, arguments));
        }
    }

    @Override
    public void warn(String msg, Throwable t) {
        log(LogLevel.WARN, msg, t);
    }

    @Override
    public boolean isErrorEnabled() {
        return isEnabled(LogLevel.ERROR);
    }

    @Override
    public void error(String msg) {
        log(LogLevel.ERROR, msg, null);
    }

    @Override
    public void error(String format, Object arg) {
        if (isEnabled(LogLevel.ERROR)) {
            forward(LogLevel.ERROR, MessageFormatter.format(format, arg));
        }
    }

    @Override
    public void error(String format, Object arg1, Object arg2) {
        if (isEnabled(LogLevel.ERROR)) {
            forward(LogLevel.ERROR, MessageFormatter.format(format, arg1, arg2));
        }
    }

    @Override
    public void error(String format, Object... arguments) {
        if (isEnabled(LogLevel.ERROR)) {
            forward(LogLevel.ERROR, MessageFormatter.arrayFormat(format, arguments));
        }
    }

    @Override
    public void error(String msg, Throwable t) {
        log(LogLevel.ERROR, msg, t);
    }

    private boolean isEnabled(LogLevel level) {
        Bound current = bound();
        // Held records wait for a level that is not known yet: keep what INFO would keep.
        return current == null ? LogLevel.INFO.implies(level) : current.enabled(level);
    }

    private void forward(LogLevel level, FormattingTuple message) {
        log(level, message.getMessage(), message.getThrowable());
    }

    private void log(LogLevel level, String message, Throwable thrown) {
        Bound current = bound();
        if (current == null) {
            if (LogLevel.INFO.implies(level) && router.hold(name, level, message, thrown)) {
                return;
            }
            current = bound();
            if (current == null) {
                return;
            }
        }
        if (current.enabled(level)) {
            Forwarding.log(current.logger, level, message, thrown);
        }
    }

    /** The OSGi logger and its levels, read again when the factory or the levels changed; null while held. */
    private Bound bound() {
        LoggerFactory factory = router.target();
        if (factory == null) {
            return null;
        }
        int generation = router.levelGeneration();
        Bound current = bound;
        if (current == null || current.factory != factory || current.generation != generation) {
            Logger logger = current != null && current.factory == factory ? current.logger : factory.getLogger(name);
            current = new Bound(factory, generation, logger, enabledLevels(logger));
            bound = current;
        }
        return current;
    }

    /** The levels {@code logger} lets through now, one bit per {@link LogLevel#ordinal()}. */
    private static int enabledLevels(Logger logger) {
        int mask = 0;
        for (LogLevel level : LogLevel.values()) {
            if (Forwarding.isEnabled(logger, level)) {
                mask |= 1 << level.ordinal();
            }
        }
        return mask;
    }

    /** The OSGi logger of one factory and what it let through at one level generation. */
    private record Bound(LoggerFactory factory, int generation, Logger logger, int enabledMask) {

        boolean enabled(LogLevel level) {
            return (enabledMask & (1 << level.ordinal())) != 0;
        }
    }
}

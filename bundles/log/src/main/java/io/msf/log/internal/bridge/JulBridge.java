package io.msf.log.internal.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Routes java.util.logging into the OSGi log while installed: a handler on the JUL root logger
 * forwards each record to an OSGi Logger of the JUL logger's name. Netty logs through JUL when it
 * does not use SLF4J; the JDK does too.
 *
 * <p>While installed, the JDK's default console handlers are taken off the root logger (and put
 * back on {@link #uninstall}), or every JUL record would be printed twice; and the root logger's
 * level follows the level of this bundle, so that JUL does not even build records nobody keeps.
 */
public final class JulBridge extends Handler {

    private static final String UNNAMED = "java.util.logging";

    private final LoggerFactory factory;
    private final java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    private final Formatter messages = new SimpleFormatter();
    private final List<Handler> removed = new ArrayList<>();
    private java.util.logging.Level levelBefore;
    /** Between install and uninstall; after, the root level is the one it had before, which no level change replaces. */
    private boolean installed;

    private JulBridge(LoggerFactory factory) {
        this.factory = factory;
    }

    /** Installs a bridge that logs through {@code factory}, on behalf of the caller's bundle. */
    public static JulBridge install(LoggerFactory factory) {
        JulBridge bridge = new JulBridge(factory);
        synchronized (bridge) {
            bridge.levelBefore = bridge.root.getLevel();
            for (Handler handler : bridge.root.getHandlers()) {
                if (handler instanceof ConsoleHandler) {
                    bridge.root.removeHandler(handler);
                    bridge.removed.add(handler);
                }
            }
            bridge.root.addHandler(bridge);
            bridge.installed = true;
            bridge.followLevel();
        }
        return bridge;
    }

    /** Takes the handler off and restores the root logger's handlers and level. */
    public synchronized void uninstall() {
        installed = false;
        root.removeHandler(this);
        removed.forEach(root::addHandler);
        removed.clear();
        root.setLevel(levelBefore);
    }

    /**
     * Sets the JUL root level to the most detailed level this bundle's loggers accept now; nothing once
     * uninstalled (a log:level under way as the log stops), which left that level in force for good.
     */
    public synchronized void followLevel() {
        if (!installed) {
            return;
        }
        Logger probe = factory.getLogger(UNNAMED);
        java.util.logging.Level level;
        if (probe.isTraceEnabled()) {
            level = java.util.logging.Level.ALL;
        } else if (probe.isDebugEnabled()) {
            level = java.util.logging.Level.FINE;
        } else if (probe.isInfoEnabled()) {
            level = java.util.logging.Level.INFO;
        } else if (probe.isWarnEnabled()) {
            level = java.util.logging.Level.WARNING;
        } else if (probe.isErrorEnabled()) {
            level = java.util.logging.Level.SEVERE;
        } else {
            level = java.util.logging.Level.OFF;
        }
        root.setLevel(level);
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null) {
            return;
        }
        Logger logger = factory.getLogger(record.getLoggerName() == null ? UNNAMED : record.getLoggerName());
        LogLevel level = osgiLevel(record.getLevel());
        if (Forwarding.isEnabled(logger, level)) {
            Forwarding.log(logger, level, messages.formatMessage(record), record.getThrown());
        }
    }

    static LogLevel osgiLevel(java.util.logging.Level level) {
        int value = level.intValue();
        if (value >= java.util.logging.Level.SEVERE.intValue()) {
            return LogLevel.ERROR;
        } else if (value >= java.util.logging.Level.WARNING.intValue()) {
            return LogLevel.WARN;
        } else if (value >= java.util.logging.Level.INFO.intValue()) {
            return LogLevel.INFO;
        } else if (value >= java.util.logging.Level.FINE.intValue()) {
            return LogLevel.DEBUG; // CONFIG and FINE
        }
        return LogLevel.TRACE;
    }

    @Override
    public void flush() {
        // records are handed over as they come; the log writer flushes
    }

    @Override
    public void close() {
        // nothing held; uninstall() detaches the handler
    }
}

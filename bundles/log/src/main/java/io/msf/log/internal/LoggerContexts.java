package io.msf.log.internal;

import io.msf.log.internal.bridge.Slf4jRouter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.Logger;
import org.osgi.service.log.admin.LoggerAdmin;
import org.osgi.service.log.admin.LoggerContext;

/**
 * Puts the configured levels into the Log Service's logger contexts (the ROOT context and one per
 * bundle symbolic name), so that a Logger below its level does not even create an entry.
 */
final class LoggerContexts {

    /**
     * The Log Service records every bundle and service event at INFO: dozens per start, past any
     * level. At INFO they are held back as detail; they show when a level is DEBUG or TRACE.
     */
    private static final String BUNDLE_EVENTS = "Events.Bundle";
    private static final String SERVICE_EVENTS = "Events.Service";

    private final LoggerAdmin admin;
    /** Bundles whose context this class filled, to empty it again when they leave the settings. */
    private final Set<String> configured = new HashSet<>();

    LoggerContexts(LoggerAdmin admin) {
        this.admin = admin;
    }

    synchronized void apply(LevelSettings settings) {
        admin.getLoggerContext(null).setLogLevels(levelMap(settings.root()));
        for (String bundle : configured) {
            if (!settings.bundles().containsKey(bundle)) {
                admin.getLoggerContext(bundle).clear();
            }
        }
        configured.clear();
        settings.bundles().forEach((bundle, level) -> {
            admin.getLoggerContext(bundle).setLogLevels(levelMap(level));
            configured.add(bundle);
        });
        Slf4jRouter.instance().levelsChanged();
    }

    /** Hands the levels back to the Log Service's defaults. */
    synchronized void clear() {
        configured.forEach(bundle -> admin.getLoggerContext(bundle).clear());
        configured.clear();
        admin.getLoggerContext(null).clear();
        Slf4jRouter.instance().levelsChanged();
    }

    /**
     * Whether an entry is at or above the level of its bundle and logger. Loggers check this before
     * they create an entry; framework events and the legacy LogService levels are not checked.
     */
    boolean admits(LogEntry entry) {
        if (entry.getLogLevel() == LogLevel.AUDIT) {
            return true;
        }
        Bundle bundle = entry.getBundle();
        LoggerContext context = admin.getLoggerContext(bundle == null ? null : bundle.getSymbolicName());
        String logger = entry.getLoggerName() == null ? Logger.ROOT_LOGGER_NAME : entry.getLoggerName();
        return context.getEffectiveLogLevel(logger).implies(entry.getLogLevel());
    }

    static Map<String, LogLevel> levelMap(Level level) {
        LogLevel events = level == Level.INFO ? LogLevel.WARN : level.osgi();
        return Map.of(Logger.ROOT_LOGGER_NAME, level.osgi(), BUNDLE_EVENTS, events, SERVICE_EVENTS, events);
    }
}

package io.msf.log.internal;

import java.util.HashMap;
import java.util.Map;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.Logger;
import org.osgi.service.log.admin.LoggerAdmin;
import org.osgi.service.log.admin.LoggerContext;

/**
 * Logger contexts as the OSGi spec (and Felix Log) define them: a logger's level is that of its
 * nearest named ancestor in its bundle's context, else in the ROOT context, else WARN.
 */
final class FakeLoggerAdmin implements LoggerAdmin {

    private final Context root = new Context(null);
    private final Map<String, Context> contexts = new HashMap<>();

    @Override
    public LoggerContext getLoggerContext(String name) {
        return name == null ? root : contexts.computeIfAbsent(name, Context::new);
    }

    final class Context implements LoggerContext {

        private final String name;
        private Map<String, LogLevel> levels = new HashMap<>();

        Context(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public LogLevel getEffectiveLogLevel(String logger) {
            for (String n = logger; ; n = n.contains(".") ? n.substring(0, n.lastIndexOf('.')) : Logger.ROOT_LOGGER_NAME) {
                if (levels.containsKey(n)) {
                    return levels.get(n);
                }
                if (n.equals(Logger.ROOT_LOGGER_NAME)) {
                    break;
                }
            }
            return this == root ? LogLevel.WARN : root.getEffectiveLogLevel(logger);
        }

        @Override
        public Map<String, LogLevel> getLogLevels() {
            return new HashMap<>(levels);
        }

        @Override
        public void setLogLevels(Map<String, LogLevel> logLevels) {
            levels = new HashMap<>(logLevels);
        }

        @Override
        public void clear() {
            levels = new HashMap<>();
        }

        @Override
        public boolean isEmpty() {
            return levels.isEmpty();
        }
    }
}

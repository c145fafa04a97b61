package io.msf.log.internal.bridge;

import org.osgi.service.log.LogLevel;
import org.osgi.service.log.Logger;

/** Hands a finished message to an OSGi Logger at a given level. */
final class Forwarding {

    private Forwarding() {
    }

    static boolean isEnabled(Logger logger, LogLevel level) {
        switch (level) {
            case TRACE:
                return logger.isTraceEnabled();
            case DEBUG:
                return logger.isDebugEnabled();
            case INFO:
                return logger.isInfoEnabled();
            case WARN:
                return logger.isWarnEnabled();
            case ERROR:
                return logger.isErrorEnabled();
            default:
                return true;
        }
    }

    /**
     * Logs {@code message} as it is: the bridged frameworks have already formatted it, and an OSGi
     * Logger only reads "{}" as a placeholder when arguments follow, which a lone throwable is not.
     */
    static void log(Logger logger, LogLevel level, String message, Throwable thrown) {
        switch (level) {
            case TRACE:
                if (thrown == null) {
                    logger.trace(message);
                } else {
                    logger.trace(message, thrown);
                }
                break;
            case DEBUG:
                if (thrown == null) {
                    logger.debug(message);
                } else {
                    logger.debug(message, thrown);
                }
                break;
            case INFO:
                if (thrown == null) {
                    logger.info(message);
                } else {
                    logger.info(message, thrown);
                }
                break;
            case WARN:
                if (thrown == null) {
                    logger.warn(message);
                } else {
                    logger.warn(message, thrown);
                }
                break;
            default:
                if (thrown == null) {
                    logger.error(message);
                } else {
                    logger.error(message, thrown);
                }
                break;
        }
    }
}

package io.msf.log.api;

import java.time.Instant;

/**
 * One log record.
 *
 * @param time when it was logged
 * @param level TRACE, DEBUG, INFO, WARN or ERROR
 * @param bundle symbolic name of the bundle that logged it
 * @param logger the logger's name
 * @param message the message
 * @param exception the stack trace, or the empty string
 */
public record LogLine(Instant time, String level, String bundle, String logger, String message, String exception) {
}

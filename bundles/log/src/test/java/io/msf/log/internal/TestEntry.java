package io.msf.log.internal;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;

/** A log entry as the Log Service would hand it to a listener. */
record TestEntry(Bundle bundle, LogLevel level, String logger, String message, Throwable exception, long time)
        implements LogEntry {

    static TestEntry of(String bundleName, LogLevel level, String logger, String message) {
        return new TestEntry(bundle(bundleName), level, logger, message, null, 1_700_000_000_000L);
    }

    static Bundle bundle(String symbolicName) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn(symbolicName);
        return bundle;
    }

    @Override
    public Bundle getBundle() {
        return bundle;
    }

    @Override
    public ServiceReference<?> getServiceReference() {
        return null;
    }

    @Override
    @SuppressWarnings("deprecation")
    public int getLevel() {
        return level.ordinal();
    }

    @Override
    public String getMessage() {
        return message;
    }

    @Override
    public Throwable getException() {
        return exception;
    }

    @Override
    public long getTime() {
        return time;
    }

    @Override
    public LogLevel getLogLevel() {
        return level;
    }

    @Override
    public String getLoggerName() {
        return logger;
    }

    @Override
    public long getSequence() {
        return 0;
    }

    @Override
    public String getThreadInfo() {
        return "test";
    }

    @Override
    public StackTraceElement getLocation() {
        return null;
    }
}

package org.slf4j.impl;

import io.msf.log.internal.bridge.Slf4jRouter;
import org.slf4j.ILoggerFactory;
import org.slf4j.spi.LoggerFactoryBinder;

/** Where SLF4J 1.7 finds its logger factory: the router to the OSGi Log Service. */
public final class StaticLoggerBinder implements LoggerFactoryBinder {

    /**
     * The SLF4J API version this binding is written for, checked by SLF4J at its first use. Not
     * final, so that the compiler does not copy the value into slf4j-api (SLF4J's convention).
     */
    public static String REQUESTED_API_VERSION = "1.7.36";

    private static final StaticLoggerBinder SINGLETON = new StaticLoggerBinder();

    private StaticLoggerBinder() {
    }

    /** The binder; SLF4J calls this once. */
    public static StaticLoggerBinder getSingleton() {
        return SINGLETON;
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return Slf4jRouter.instance();
    }

    @Override
    public String getLoggerFactoryClassStr() {
        return Slf4jRouter.class.getName();
    }
}

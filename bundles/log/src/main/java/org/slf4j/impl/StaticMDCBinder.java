package org.slf4j.impl;

import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.spi.MDCAdapter;

/** SLF4J's MDC: kept per thread as SLF4J defines it; the OSGi log has no place to show it. */
public final class StaticMDCBinder {

    /** The binder; SLF4J 1.7 reads this field or calls {@link #getSingleton()}. */
    public static final StaticMDCBinder SINGLETON = new StaticMDCBinder();

    private StaticMDCBinder() {
    }

    /** The binder. */
    public static StaticMDCBinder getSingleton() {
        return SINGLETON;
    }

    /** A new thread-local MDC store; SLF4J asks once. */
    public MDCAdapter getMDCA() {
        return new BasicMDCAdapter();
    }

    /** The MDC store's class name, for SLF4J's diagnostics. */
    public String getMDCAdapterClassStr() {
        return BasicMDCAdapter.class.getName();
    }
}

package org.slf4j.impl;

import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MarkerFactoryBinder;

/** SLF4J's markers: created as SLF4J defines them; the OSGi log ignores them. */
public final class StaticMarkerBinder implements MarkerFactoryBinder {

    /** The binder; SLF4J 1.7 reads this field or calls {@link #getSingleton()}. */
    public static final StaticMarkerBinder SINGLETON = new StaticMarkerBinder();

    private final IMarkerFactory markers = new BasicMarkerFactory();

    private StaticMarkerBinder() {
    }

    /** The binder. */
    public static StaticMarkerBinder getSingleton() {
        return SINGLETON;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public String getMarkerFactoryClassStr() {
        return BasicMarkerFactory.class.getName();
    }
}

package io.msf.launcher;

/**
 * Packed into a test bundle by {@link BackgroundInitTest}: its static set-up records the thread that
 * ran it in the system property {@value #THREAD_PROPERTY}.
 */
public final class InitMarker {

    /** A constant: reading it does not set the class up. */
    static final String THREAD_PROPERTY = "msf.test.init-marker.thread";

    static {
        System.setProperty(THREAD_PROPERTY, Thread.currentThread().getName());
    }

    private InitMarker() {
    }
}

package io.msf.monitor.internal.http;

/**
 * Deadlines for the JDK's HTTP server to read a request and to write its answer. Without them it waits
 * for both without end, holding a thread of {@link MetricsServer}'s: clients that connect and stop halfway
 * through a request (a port scanner, a scraper killed mid-request, a test with {@code nc}) kept their
 * threads for as long as they stayed connected, and as many as there are threads held {@code /health} and
 * {@code /metrics} up as long. A supervisor asking {@code /health} took the container for dead.
 *
 * <p>The JDK has no per-server setting for them: they are the system properties
 * {@value #REQUEST_PROPERTY} and {@value #RESPONSE_PROPERTY} (seconds), read once, when the JVM's first
 * JDK HTTP server is made. So they are set here, before the monitor makes its server, unless set already
 * ({@code -D} in {@code MSF_JAVA_OPTS}: the user's value wins), and apply to every JDK HTTP server of the JVM.
 * A client too slow is cut off within a second of its deadline (the JDK's check runs every second).
 */
final class RequestDeadlines {

    static final String REQUEST_PROPERTY = "sun.net.httpserver.maxReqTime";
    static final String RESPONSE_PROPERTY = "sun.net.httpserver.maxRspTime";
    /** A scraper sends its request at once; 5 s is ample on loopback or a LAN, and bounds the wait it can cause. */
    static final long REQUEST_SECONDS = 5;
    /**
     * The answers are small (/metrics some tens of KB), but a scraper may be slow to read them on a busy machine.
     * The JDK starts this deadline once the request is read, so it also counts the handler's time: /health's
     * wait for its checks, which healthTimeoutMillis therefore keeps 5 s under it.
     */
    static final long RESPONSE_SECONDS = 30;

    private RequestDeadlines() {
    }

    /** Sets each deadline the JVM was not given; effective only if no JDK HTTP server was made before. */
    static void applyUnlessSet() {
        setUnlessSet(REQUEST_PROPERTY, REQUEST_SECONDS);
        setUnlessSet(RESPONSE_PROPERTY, RESPONSE_SECONDS);
    }

    private static void setUnlessSet(String property, long seconds) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Long.toString(seconds));
        }
    }
}

package io.msf.net.internal;

import io.msf.net.api.EndpointSpec;
import io.netty.handler.ssl.SslContext;
import org.osgi.service.log.Logger;

/**
 * Reads a serving TLS server's key and trust stores again once they are replaced on disk (certbot,
 * cert-manager, an operator's copy), so that certificates rotate without a restart or a configuration
 * change: the connections accepted from then on get the new key material, open ones keep theirs. A
 * configured endpoint calls {@link #check} every {@code tlsStoreCheckMillis}; a check that finds the
 * files as they were read costs a {@code stat} of each.
 *
 * <p>Stores that cannot be used (unreadable, a password that no longer fits, no key) leave the last good
 * key material in force: one WARN line naming the endpoint, the file and why, and the endpoint's last error
 * (net:list, msf:services). That is no published problem ({@code msf.problems}): the endpoint serves, and a
 * problem would make io.msf.net DOWN and /health 503, so a liveness probe would restart the container, whose
 * first open then fails on the bad store, a warning turned into an outage. As a store may be caught half
 * written, a failed read counts only once the files look the same at the next check as well.
 *
 * <p>Used under the configured endpoint's lock, on its retry thread, never an io loop: reading a store
 * takes milliseconds.
 */
final class TlsStoreWatch {

    private final String pid;
    private final Logger log;
    /** Stores seen unusable once, which may still be being written: read again at the next check. */
    private TlsStoreStamp unusable;
    /** Stores told unusable (WARN, problem): not read again until they change. */
    private TlsStoreStamp reported;

    TlsStoreWatch(String pid, Logger log) {
        this.pid = pid;
        this.log = log;
    }

    /**
     * Reads the stores of {@code endpoint} again if they changed since they were read.
     *
     * @param endpoint the bound endpoint, or null (nothing to watch)
     */
    void check(String name, NetEndpoint endpoint) {
        EndpointPipeline pipeline = endpoint == null ? null : endpoint.pipeline();
        TlsStoreStamp inForce = pipeline == null ? null : pipeline.tlsStores();
        if (inForce == null) {
            clear();
            return;
        }
        EndpointSpec spec = pipeline.spec();
        TlsStoreStamp now = TlsStoreStamp.of(spec.tls());
        if (now.equals(inForce)) {
            // as read last (by a configuration change, say)
            clear();
            return;
        }
        if (now.equals(reported)) {
            return;
        }
        SslContext tls;
        try {
            tls = TlsContexts.of(spec);
        } catch (IllegalArgumentException e) {
            if (!now.equals(unusable)) {
                unusable = now;
                return;
            }
            unusable = null;
            reported = now;
            log.warn("{}: endpoint '{}' keeps the TLS key material it has for new connections: the stores on disk"
                    + " cannot be used: {}", pid, name, e.getMessage());
            // net:list and msf:services give the reason
            endpoint.recordError(e.getMessage());
            return;
        }
        if (pipeline.reloadTls(spec, tls, now)) {
            log.info("{}: endpoint '{}' read its TLS stores again, {} changed on disk: new connections get the new"
                    + " key material", pid, name, now.changedSince(inForce));
            clear();
        }
    }

    /** Forgets what was seen. */
    void clear() {
        unusable = null;
        reported = null;
    }
}

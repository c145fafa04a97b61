package io.msf.net.internal;

import io.msf.net.api.EndpointSpec;
import io.msf.text.ControlCharacters;
import io.netty.handler.ssl.SslContext;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.osgi.service.log.Logger;

/**
 * Reads a serving TLS server's key and trust stores again once they are replaced on disk (certbot,
 * cert-manager, an operator's copy), so that certificates rotate without a restart or a configuration
 * change: the connections accepted from then on get the new key material, open ones keep theirs. A
 * configured endpoint has it check {@link #every} {@code tlsStoreCheckMillis}; a check that finds the
 * files as they were read costs a {@code stat} of each.
 *
 * <p>Stores that cannot be used (unreadable, a password that no longer fits, no key) leave the last good
 * key material in force: one WARN line naming the endpoint, the file and why, the endpoint's last error
 * (net:list, msf:services), and a published warning ({@code msf.warnings}: io.msf.net WARN in msf:health and
 * /health) until the stores are read again. That is no published problem ({@code msf.problems}): the endpoint
 * serves, and a problem would make io.msf.net DOWN and /health 503, so a liveness probe would restart the
 * container, whose first open then fails on the bad store, a warning turned into an outage. As a store may be
 * caught half written, a failed read counts only once the files look the same at the next check as well.
 *
 * <p>Used under the configured endpoint's lock; checks on its retry thread, holding that lock, never on an
 * io loop: reading a store takes milliseconds.
 */
final class TlsStoreWatch {

    private final String pid;
    private final Logger log;
    private final ScheduledExecutorService thread;
    private final Object lock;
    private final Supplier<String> name;
    private final Supplier<NetEndpoint> bound;
    /** Publishes what is wrong while the endpoint serves (after its name), or nothing (null). */
    private final Consumer<String> warning;
    private ScheduledFuture<?> checks;
    /** What {@link #checks} runs every (0: it does not run). */
    private int everyMillis;
    /** What the last check threw, said once at WARN; null once a check went through. */
    private String failing;
    /** Stores seen unusable once, which may still be being written: read again at the next check. */
    private TlsStoreStamp unusable;
    /** Stores told unusable (WARN, last error): not read again until they change. */
    private TlsStoreStamp reported;

    /**
     * @param thread where the checks run
     * @param lock the endpoint's, held while a check runs
     * @param name the endpoint's name now
     * @param bound the endpoint bound now, or null
     * @param warning publishes a warning (what is wrong, after the endpoint's name), or withdraws it (null)
     */
    TlsStoreWatch(String pid, Logger log, ScheduledExecutorService thread, Object lock, Supplier<String> name,
            Supplier<NetEndpoint> bound, Consumer<String> warning) {
        this.pid = pid;
        this.log = log;
        this.thread = thread;
        this.lock = lock;
        this.name = name;
        this.bound = bound;
        this.warning = warning;
    }

    /**
     * Checks every {@code millis} from now on (0: not at all); the same interval again changes nothing, but
     * for a warning about stores the configuration change that called it has replaced.
     */
    void every(int millis) {
        if (millis == everyMillis) {
            settle();
            return;
        }
        stop();
        if (millis > 0) {
            try {
                checks = thread.scheduleWithFixedDelay(this::run, millis, millis, TimeUnit.MILLISECONDS);
                everyMillis = millis;
            } catch (RejectedExecutionException e) {
                // deactivated meanwhile
            }
        }
    }

    /** Checks no more, and forgets what was seen. */
    void stop() {
        if (checks != null) {
            checks.cancel(false);
            checks = null;
        }
        everyMillis = 0;
        clear();
    }

    private void run() {
        synchronized (lock) {
            if (checks == null) {
                return;
            }
            try {
                check(name.get(), bound.get());
                failing = null;
            } catch (VirtualMachineError e) {
                // nothing sound to go on with; a periodic task that throws never runs again: not silently
                log.error("{}: the TLS stores are no longer checked: {}", pid, e, e);
                throw e;
            } catch (Throwable e) {
                // Anything else (a bug, a class gone with a refreshed bundle) would end the checks for good, as
                // a periodic task that throws never runs again: say it once, at the first check that throws it,
                // and look again next time.
                String what = String.valueOf(e);
                if (what.equals(failing)) {
                    log.debug("{}: cannot check the TLS stores: {}", pid, what);
                } else {
                    failing = what;
                    log.warn("{}: cannot check the TLS stores (they are checked again): {}", pid, what, e);
                }
            }
        }
    }

    /**
     * Reads the stores of {@code endpoint} again if they changed since they were read.
     *
     * @param endpoint the bound endpoint, or null (nothing to watch)
     */
    private void check(String name, NetEndpoint endpoint) {
        EndpointPipeline pipeline = tlsPipeline(endpoint);
        if (pipeline == null) {
            clear();
            return;
        }
        TlsStoreStamp inForce = pipeline.tlsStores();
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
        } catch (RuntimeException e) {
            // TlsContexts names the key and the file in an IllegalArgumentException; anything else a provider
            // throws on stores it cannot use is as unusable
            String why = e instanceof IllegalArgumentException ? e.getMessage()
                    : "TLS cannot be set up with " + spec.tls() + ": " + e;
            if (!now.equals(unusable)) {
                unusable = now;
                return;
            }
            unusable = null;
            reported = now;
            log.warn("{}: endpoint '{}' keeps the TLS key material it has for new connections: the stores on disk"
                    + " cannot be used: {}", pid, ControlCharacters.escapedOnOneLine(name),
                    ControlCharacters.escapedOnOneLine(why));
            // net:list and msf:services give the reason; msf:health and /health show io.msf.net WARN
            endpoint.recordError(why);
            warning.accept("serves new connections with the TLS key material it had: the stores on disk cannot be"
                    + " used: " + why);
            return;
        }
        if (pipeline.reloadTls(spec, tls, now)) {
            log.info("{}: endpoint '{}' read its TLS stores again, {} changed on disk: new connections get the new"
                    + " key material", pid, ControlCharacters.escapedOnOneLine(name),
                    ControlCharacters.escapedOnOneLine(String.valueOf(now.changedSince(inForce))));
            clear();
        }
    }

    /**
     * After a configuration change, which reads the stores (a change is refused while they cannot be used):
     * what was told unusable is forgotten, and its warning withdrawn, as soon as the stores in force are those
     * on disk, not at the next check, which may be an hour away.
     */
    private void settle() {
        if (reported == null && unusable == null) {
            return;
        }
        EndpointPipeline pipeline = tlsPipeline(bound.get());
        if (pipeline == null || TlsStoreStamp.of(pipeline.spec().tls()).equals(pipeline.tlsStores())) {
            clear();
        }
    }

    /** The pipeline of {@code endpoint} when it serves TLS read from stores, or null (nothing to watch). */
    private static EndpointPipeline tlsPipeline(NetEndpoint endpoint) {
        EndpointPipeline pipeline = endpoint == null ? null : endpoint.pipeline();
        return pipeline == null || pipeline.tlsStores() == null ? null : pipeline;
    }

    /** Forgets what was seen, and withdraws the warning: the stores in force are the ones on disk, or unwatched. */
    private void clear() {
        unusable = null;
        reported = null;
        warning.accept(null);
    }
}

package io.msf.agent.internal.uplink;

import io.msf.agent.internal.broker.Identity;
import io.msf.agent.internal.broker.UplinkPeer;
import io.msf.client.api.ClientOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.osgi.service.log.Logger;

/**
 * The local names and ids registered in the parent, one {@link Export} each, at most
 * {@link UplinkSettings#maxExports}. Changed on the uplink's control thread only; described from
 * any thread.
 */
final class Exports {

    private final UplinkSettings parent;
    private final UplinkPeer peer;
    private final Logger log;
    private final Runnable changed;
    private final BooleanSupplier closing;
    /** The egress's name: registered in the parent by the egress itself. */
    private final String egressName;
    private final Map<Identity, Export> byIdentity = new ConcurrentHashMap<>();
    /** Local names and ids over maxExports. */
    private volatile int notExported;

    Exports(UplinkSettings parent, UplinkPeer peer, Logger log, Runnable changed, BooleanSupplier closing,
            String egressName) {
        this.parent = parent;
        this.peer = peer;
        this.log = log;
        this.changed = changed;
        this.closing = closing;
        this.egressName = egressName;
    }

    /**
     * Withdraws the exports of names and ids no longer claimed here and registers the new ones
     * while the parent is reachable (blocking up to the connect timeout each).
     *
     * @return when to look again, or {@link Long#MAX_VALUE} when all is in line
     */
    long reconcile(List<Identity> claims, boolean parentReachable, Supplier<ClientOptions.Builder> options) {
        Set<Identity> wanted = exportable(claims);
        byIdentity.values().removeIf(export -> {
            if (wanted.contains(export.identity())) {
                return false;
            }
            export.close(true);
            return true;
        });
        long next = Long.MAX_VALUE;
        for (Identity identity : wanted) {
            Export export = byIdentity.computeIfAbsent(identity,
                    i -> new Export(i, parent, peer, log, changed, closing));
            // While the parent is out of reach the exports' own clients reconnect; new ones wait for it.
            if (parentReachable && !closing.getAsBoolean()) {
                next = Math.min(next, export.connect(System.nanoTime(), options.get()));
            }
        }
        return next;
    }

    /** The claims to export: never the egress's name, at most maxExports, in a fixed order. */
    private Set<Identity> exportable(List<Identity> claims) {
        List<Identity> sorted = claims.stream().filter(identity -> !identity.name().equals(egressName))
                .sorted(Comparator.comparing(Identity::name).thenComparingInt(Identity::id)).toList();
        // Those exported already stay: a new name must not push out one the parent routes here.
        Set<Identity> wanted = new HashSet<>();
        for (Identity identity : sorted) {
            if (byIdentity.containsKey(identity) && wanted.size() < parent.maxExports()) {
                wanted.add(identity);
            }
        }
        for (Identity identity : sorted) {
            if (wanted.size() < parent.maxExports()) {
                wanted.add(identity);
            }
        }
        int over = sorted.size() - wanted.size();
        if (over > 0 && notExported == 0) {
            log.warn("agent uplink exports {} local names and ids to the parent agent at {} (msf.agent maxExports),"
                    + " not the {} others: each is a connection of its own", parent.maxExports(), parent.text(), over);
        }
        notExported = over;
        return wanted;
    }

    /** {@code ; exports 'dlna', #7; refused 'x' (DUPLICATE_NAME); 3 not exported (maxExports)}, or nothing. */
    void describeTo(StringBuilder text) {
        List<String> exported = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Export export : byIdentity.values()) {
            if (export.exported()) {
                exported.add(export.identity().toString());
            } else if (export.refusal() != null) {
                refused.add(export.identity() + " (" + export.refusal() + ")");
            }
        }
        if (!exported.isEmpty()) {
            text.append("; exports ").append(exported.stream().sorted().collect(Collectors.joining(", ")));
        }
        if (!refused.isEmpty()) {
            text.append("; refused ").append(refused.stream().sorted().collect(Collectors.joining(", ")));
        }
        if (notExported > 0) {
            text.append("; ").append(notExported).append(" not exported (maxExports)");
        }
    }

    /** Withdraws every export; {@code leaving}: say so in the log. */
    void close(boolean leaving) {
        byIdentity.values().forEach(export -> export.close(leaving));
        byIdentity.clear();
    }
}

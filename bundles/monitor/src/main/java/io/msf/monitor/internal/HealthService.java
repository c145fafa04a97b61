package io.msf.monitor.internal;

import io.msf.monitor.api.Health;
import io.msf.monitor.api.HealthCheck;
import io.msf.monitor.api.HealthResult;
import io.msf.monitor.api.HealthStatus;
import io.msf.monitor.internal.alert.Alert;
import io.msf.monitor.internal.health.CheckRunner;
import io.msf.monitor.internal.health.PublishedProblems;
import io.msf.monitor.internal.health.PublishedProblems.Published;
import io.msf.monitor.internal.health.Worst;
import io.msf.text.BundleName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * {@link Health}: every {@link HealthCheck} service, run on demand, plus the monitor's open alerts
 * (an alert makes an otherwise healthy service WARN). It runs without the monitor (inactive while a
 * core service it samples restarts, or disabled): msf:health and the deployer's gate still run the
 * checks then, with the default time limit and no alerts. A problem a bundle publishes as the service
 * property {@value io.msf.problems.Problems#PROPERTY} (a listener of the agent that could not be opened) makes its
 * service DOWN: the launcher lists it after its ready line, and it must not be hidden here; a warning published
 * as {@value io.msf.problems.Problems#WARNINGS} makes it WARN.
 *
 * <p>Checks are kept per registration (service id), not per object: one object registered twice is
 * two checks, each gone with its own registration, and run once for both.
 */
// Also registered as itself, for the monitor's own /metrics and msf:health, which show the check threads set aside.
@Component(service = {Health.class, HealthService.class})
public final class HealthService implements Health {

    private record Registration(HealthCheck check, String service, long bundleId, String name) {
    }

    /** msf.monitor's default limit for one check, used while the monitor is inactive. */
    static final long DEFAULT_TIMEOUT_MILLIS =
            ConfigDefaults.of(MonitorConfiguration.class, Map.of()).healthTimeoutMillis();

    private final BundleContext context;
    private final Supplier<List<Alert>> openAlerts;
    private final LongSupplier timeoutMillis;
    private final CheckRunner runner;
    private final Supplier<List<Published>> published;
    /** Null when the problems are given (tests). */
    private final PublishedProblems publishedProblems;
    private final Map<Object, Registration> checks = new ConcurrentHashMap<>();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Monitor monitor;

    @Activate
    public HealthService(BundleContext context, @Reference(service = LoggerFactory.class) Logger log) {
        this.runner = new CheckRunner(log);
        this.context = context;
        this.publishedProblems = new PublishedProblems(context);
        this.published = publishedProblems::now;
        this.openAlerts = () -> {
            Monitor current = monitor;
            return current == null ? List.of() : current.openAlerts();
        };
        this.timeoutMillis = () -> {
            Monitor current = monitor;
            return current == null ? DEFAULT_TIMEOUT_MILLIS : current.settings().healthTimeoutMillis();
        };
    }

    HealthService(BundleContext context, Supplier<List<Alert>> openAlerts, LongSupplier timeoutMillis, Logger log) {
        this(context, openAlerts, timeoutMillis, List::of, log);
    }

    HealthService(BundleContext context, Supplier<List<Alert>> openAlerts, LongSupplier timeoutMillis,
            Supplier<List<Published>> published, Logger log) {
        this.runner = new CheckRunner(log);
        this.context = context;
        this.publishedProblems = null;
        this.published = published;
        this.openAlerts = openAlerts;
        this.timeoutMillis = timeoutMillis;
    }

    @Deactivate
    void deactivate() {
        if (publishedProblems != null) {
            publishedProblems.close();
        }
        runner.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            updated = "updatedCheck", unbind = "removeCheck")
    void addCheck(HealthCheck check, Map<String, Object> properties) {
        long bundleId = ((Number) properties.getOrDefault(Constants.SERVICE_BUNDLEID, -1L)).longValue();
        Bundle owner = context.getBundle(bundleId);
        String bundleName = BundleName.of(owner == null ? null : owner.getSymbolicName(), bundleId);
        Object service = properties.get(HealthCheck.SERVICE);
        String serviceName = service == null || service.toString().isBlank() ? bundleName : service.toString();
        checks.put(properties.get(Constants.SERVICE_ID), new Registration(check, serviceName, bundleId,
                "health check " + properties.get(Constants.SERVICE_ID) + " of " + bundleName));
    }

    /** A change of the registration's properties ({@link HealthCheck#SERVICE}) moves the check to that service. */
    void updatedCheck(HealthCheck check, Map<String, Object> properties) {
        addCheck(check, properties);
    }

    void removeCheck(HealthCheck check, Map<String, Object> properties) {
        checks.remove(properties.get(Constants.SERVICE_ID));
        if (checks.values().stream().noneMatch(registration -> registration.check() == check)) {
            runner.forget(check);
        }
    }

    @Override
    public List<ServiceHealth> all() {
        List<Registration> registrations = List.copyOf(checks.values());
        List<HealthResult> results = run(registrations, Duration.ofMillis(timeoutMillis.getAsLong()));
        Map<String, List<HealthResult>> resultsByService = new TreeMap<>();
        for (int i = 0; i < results.size(); i++) {
            resultsByService.computeIfAbsent(registrations.get(i).service(), s -> new ArrayList<>()).add(results.get(i));
        }
        for (Published problems : published.get()) {
            resultsByService.computeIfAbsent(problems.service(), s -> new ArrayList<>()).addAll(results(problems));
        }
        Map<String, List<String>> alertsBySubject = new TreeMap<>();
        for (Alert alert : openAlerts.get()) {
            alertsBySubject.computeIfAbsent(alert.subject(), s -> new ArrayList<>()).add(alert.describe());
            resultsByService.computeIfAbsent(alert.subject(), s -> new ArrayList<>());
        }
        List<ServiceHealth> all = new ArrayList<>();
        resultsByService.forEach((service, serviceResults) -> {
            List<String> alerts = alertsBySubject.getOrDefault(service, List.of());
            all.add(new ServiceHealth(service, withAlerts(Worst.of(serviceResults, "no health check"), alerts),
                    List.copyOf(alerts)));
        });
        return all;
    }

    @Override
    public HealthResult checkBundle(Bundle bundle, Duration limit) {
        List<Registration> registrations = checks.values().stream()
                .filter(registration -> registration.bundleId() == bundle.getBundleId()).toList();
        List<HealthResult> results = new ArrayList<>(run(registrations, limit));
        published.get().stream().filter(problems -> problems.bundleId() == bundle.getBundleId())
                .map(HealthService::results).forEach(results::addAll);
        return Worst.of(results, "no health checks registered by " + bundle.getSymbolicName());
    }

    /** A registration's problems as one DOWN result, its warnings as one WARN result. */
    private static List<HealthResult> results(Published published) {
        List<HealthResult> results = new ArrayList<>(2);
        if (!published.problems().isEmpty()) {
            results.add(HealthResult.down(String.join("; ", published.problems())));
        }
        if (!published.warnings().isEmpty()) {
            results.add(HealthResult.warn(String.join("; ", published.warnings())));
        }
        return results;
    }

    /** Check threads set aside to late checks that have not returned yet (at most {@code CheckRunner.MAX_ABANDONED}). */
    public int checkThreadsSetAside() {
        return runner.abandoned();
    }

    /** A service with an open alert is at least WARN; the alerts themselves are listed beside the result. */
    static HealthResult withAlerts(HealthResult checked, List<String> alerts) {
        if (alerts.isEmpty() || checked.status() != HealthStatus.UP) {
            return checked;
        }
        return HealthResult.warn(alerts.size() == 1 ? "1 open alert" : alerts.size() + " open alerts");
    }

    /**
     * One result per registration, in order. An object registered twice is run once (the runner would
     * find its first run not returned yet and report the second DOWN); both registrations get its result.
     */
    private List<HealthResult> run(List<Registration> registrations, Duration limit) {
        Map<HealthCheck, String> distinct = new IdentityHashMap<>();
        List<HealthCheck> toRun = new ArrayList<>();
        for (Registration registration : registrations) {
            if (distinct.putIfAbsent(registration.check(), registration.name()) == null) {
                toRun.add(registration.check());
            }
        }
        List<HealthResult> results = runner.run(toRun, toRun.stream().map(distinct::get).toList(), limit);
        Map<HealthCheck, HealthResult> byCheck = new IdentityHashMap<>();
        for (int i = 0; i < toRun.size(); i++) {
            byCheck.put(toRun.get(i), results.get(i));
        }
        return registrations.stream().map(registration -> byCheck.get(registration.check())).toList();
    }
}

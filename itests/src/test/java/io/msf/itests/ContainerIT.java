package io.msf.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.msf.agent.api.Agent;
import io.msf.client.api.AgentClient;
import io.msf.config.api.ConfigValidation;
import io.msf.event.api.EventLoopService;
import io.msf.log.api.LogConsole;
import io.msf.mempool.api.MemoryPool;
import io.msf.mempool.api.MemoryPoolAdmin;
import io.msf.net.api.NetworkService;
import io.msf.timer.api.TimerService;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleWiring;

/** Every msf bundle starts in a plain Felix and registers its core service. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ContainerIT extends MsfTestSupport {

    @Test
    public void everyMsfBundleIsActive() {
        for (String name : List.of("log", "event", "timer", "mempool", "net", "config", "shell", "protocol", "client",
                "agent", "rpc")) {
            Bundle bundle = installedBundle("io.msf." + name);
            assertEquals(bundle.getSymbolicName() + " state", Bundle.ACTIVE, bundle.getState());
        }
    }

    @Test
    public void theProtocolApiImportersNeedTheVersionWhoseMessageRefusesUnpairedSurrogates() {
        // 1.3.0 changed Message's contract without a signature: the agent and the client library count
        // on it to keep a subject with half a surrogate pair off the wire, and must not wire to a 1.2
        Version refusing = Version.parseVersion("1.3.0");
        Version exported = exportedVersion(installedBundle("io.msf.protocol"), "io.msf.protocol.api");
        assertTrue("io.msf.protocol.api " + exported, exported.compareTo(refusing) >= 0);
        for (String name : List.of("agent", "client", "rpc")) {
            String filter = importFilter(installedBundle("io.msf." + name), "io.msf.protocol.api");
            Matcher lowest = Pattern.compile("\\(version>=([0-9.]+)\\)").matcher(filter);
            assertTrue(name + " imports " + filter, lowest.find()
                    && Version.parseVersion(lowest.group(1)).compareTo(refusing) >= 0);
        }
    }

    private static Version exportedVersion(Bundle bundle, String packageName) {
        for (BundleCapability export : bundle.adapt(BundleWiring.class).getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
            if (packageName.equals(export.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))) {
                return (Version) export.getAttributes().get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE);
            }
        }
        throw new AssertionError(bundle.getSymbolicName() + " does not export " + packageName);
    }

    private static String importFilter(Bundle bundle, String packageName) {
        for (BundleRequirement required : bundle.adapt(BundleWiring.class)
                .getRequirements(PackageNamespace.PACKAGE_NAMESPACE)) {
            String filter = required.getDirectives().get(PackageNamespace.REQUIREMENT_FILTER_DIRECTIVE);
            if (filter != null && filter.contains("(" + PackageNamespace.PACKAGE_NAMESPACE + "=" + packageName + ")")) {
                return filter;
            }
        }
        throw new AssertionError(bundle.getSymbolicName() + " does not import " + packageName);
    }

    @Test
    public void everyCoreServiceIsRegistered() {
        for (Class<?> type : List.of(LogConsole.class, EventLoopService.class, TimerService.class, MemoryPool.class,
                MemoryPoolAdmin.class, NetworkService.class, ConfigValidation.class, Agent.class, AgentClient.class)) {
            assertNotNull(type.getName(), service(type));
        }
    }
}

package io.msf.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

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
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

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
    public void everyCoreServiceIsRegistered() {
        for (Class<?> type : List.of(LogConsole.class, EventLoopService.class, TimerService.class, MemoryPool.class,
                MemoryPoolAdmin.class, NetworkService.class, ConfigValidation.class, Agent.class, AgentClient.class)) {
            assertNotNull(type.getName(), service(type));
        }
    }
}

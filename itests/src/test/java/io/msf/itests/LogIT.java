package io.msf.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.msf.log.api.LogConsole;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationPlugin;

/** msf.log's configuration as Config Admin hands it over, past the config gate. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LogIT extends MsfTestSupport {

    @Inject
    private ConfigurationAdmin configAdmin;

    /**
     * A level set to an empty list (through Config Admin directly), which SCR hands over as no value
     * at all, is refused with an ERROR line naming the key, which the log still writes; the level in
     * force before stays.
     */
    @Test
    public void aLevelSetToAnEmptyListIsRefusedNamingTheKey() throws Exception {
        Configs configs = new Configs(configAdmin, watchedDir());
        configs.singleton("msf.log", "level", "WARN");
        try {
            LogConsole log = service(LogConsole.class);
            // not the default, so that it shows when applied: the second update waits for it (Configs says why)
            Await.until("msf.log's level WARN in force", () -> "WARN".equals(log.levels().get("ROOT")));

            configs.singleton("msf.log", "level", new String[0]);

            Await.until("an ERROR line naming msf.log's level", () -> log.tail(1000).stream()
                    .anyMatch(line -> "ERROR".equals(line.level())
                            && line.message().startsWith("msf.log: level: no value")));
            assertEquals("the level kept", "WARN", log.levels().get("ROOT"));
        } finally {
            configs.removeAll();
        }
    }

    /**
     * Two log:level changes close together both stay in force, also when Felix SCR hands the first
     * change's properties over under the second's change count and then skips the second (it reads a
     * configuration's properties, then its count): a plugin holds SCR's read of the first change
     * until the second is made, the interleaving that a script's two commands meet by chance.
     */
    @Test
    public void twoLevelChangesCloseTogetherBothStayInForce() throws Exception {
        CountDownLatch firstRead = new CountDownLatch(1);
        CountDownLatch secondMade = new CountDownLatch(1);
        CountDownLatch secondRead = new CountDownLatch(2);
        ConfigurationPlugin holdFirstRead = (reference, properties) -> {
            if (!"msf.log".equals(properties.get(Constants.SERVICE_PID))) {
                return;
            }
            secondRead.countDown();
            if (firstRead.getCount() > 0) {
                firstRead.countDown();
                try {
                    secondMade.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        ServiceRegistration<ConfigurationPlugin> plugin =
                context.registerService(ConfigurationPlugin.class, holdFirstRead, null);
        LogConsole log = service(LogConsole.class);
        try {
            log.setLevel("io.msf.timer", "DEBUG");
            assertTrue("SCR reads the first change", firstRead.await(10, TimeUnit.SECONDS));
            log.setLevel("io.msf.mempool", "DEBUG");
            secondMade.countDown();
            // SCR handles a configuration's events one after the other: at its read for the second
            // event, it is through with the first
            assertTrue("SCR reads the second change", secondRead.await(10, TimeUnit.SECONDS));

            Await.until("both levels in force", () -> "DEBUG".equals(log.levels().get("io.msf.timer"))
                    && "DEBUG".equals(log.levels().get("io.msf.mempool")));
        } finally {
            plugin.unregister();
            configAdmin.getConfiguration("msf.log", "?").delete();
            // The next test makes msf.log anew: a configuration updated again before SCR took the last
            // change may never be handed over (docs/configuration.md, "Two updates of one configuration in a
            // row"), so the deletion must be in force first.
            Await.until("msf.log's deletion in force", () -> !log.levels().containsKey("io.msf.timer")
                    && !log.levels().containsKey("io.msf.mempool"));
        }
    }
}

package io.msf.itests;

import static org.junit.Assert.assertEquals;

import io.msf.log.api.LogConsole;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

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
}

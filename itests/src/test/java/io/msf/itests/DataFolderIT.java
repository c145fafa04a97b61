package io.msf.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import io.msf.agent.api.Agent;
import io.msf.log.api.LogConsole;
import io.msf.net.api.NetworkService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.options.FrameworkPropertyOption;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * A framework launched without {@code msf.data}, whose default data folder ({@code msf-data-<user>}
 * in {@code java.io.tmpdir}, here a folder of the test's own) another user left open to all: the
 * bundles that need the folder refuse it and say why in the log (no log file, no console socket, no
 * agent socket, no deployer, no supervisor), nothing is written into it, and the rest of the
 * container runs.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DataFolderIT extends MsfTestSupport {

    @Override
    @Configuration
    public Option[] configuration() throws IOException {
        Option[] container = super.configuration(); // first: it empties the work folder
        Path tmp = Files.createDirectories(Paths.get(System.getProperty("msf.itests.work"),
                getClass().getSimpleName().replace("IT", ""), "tmp"));
        Path open = Files.createDirectory(tmp.resolve("msf-data-" + System.getProperty("user.name")));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<Option> options = Stream.of(container)
                .filter(option -> !(option instanceof FrameworkPropertyOption
                        && "msf.data".equals(((FrameworkPropertyOption) option).getKey())))
                .collect(Collectors.toCollection(ArrayList::new));
        options.add(frameworkProperty("java.io.tmpdir").value(tmp.toString()));
        options.add(moduleBundle("deploy"));
        options.add(moduleBundle("supervisor"));
        return withTheMonitorOffline(options.toArray(Option[]::new));
    }

    @Test
    public void eachBundleThatNeedsTheFolderSaysWhyAndTheContainerRuns() throws IOException {
        Path open = openFolder();
        String refused = "data folder " + open + " refused: group or others may use it (rwxrwxrwx";

        awaitError("the log file", "io.msf.log", refused);
        awaitError("the agent socket", "io.msf.agent", refused);
        awaitError("the console", "io.msf.shell", refused);
        awaitError("the deployer", "io.msf.deploy", refused);
        awaitError("the supervisor", "io.msf.supervisor", refused);

        for (String name : List.of("log", "net", "shell", "agent", "deploy", "supervisor")) {
            assertEquals(name + " still starts", Bundle.ACTIVE, installedBundle("io.msf." + name).getState());
        }
        assertNotNull(service(NetworkService.class));
        assertNotNull(service(Agent.class));
        for (String component : List.of("io.msf.shell.internal.console.ConsoleServer",
                "io.msf.deploy.internal.Reconciler", "io.msf.supervisor.internal.ProcessSupervisor")) {
            assertEquals(component + " not active", List.of(ComponentConfigurationDTO.FAILED_ACTIVATION),
                    states(component));
        }
        try (Stream<Path> inside = Files.list(open)) {
            assertEquals("nothing written into " + open, List.of(), inside.collect(Collectors.toList()));
        }
        assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(open)));
    }

    /** The states of the component's configurations. */
    private List<Integer> states(String component) {
        ServiceComponentRuntime scr = service(ServiceComponentRuntime.class);
        String bundle = component.substring(0, component.indexOf(".internal."));
        ComponentDescriptionDTO description = scr.getComponentDescriptionDTO(installedBundle(bundle), component);
        return scr.getComponentConfigurationDTOs(description).stream().map(configuration -> configuration.state)
                .collect(Collectors.toList());
    }

    private Path openFolder() {
        return Paths.get(context.getProperty("java.io.tmpdir"), "msf-data-" + context.getProperty("user.name"));
    }

    /** An ERROR line of the bundle whose message says what was refused. */
    private void awaitError(String what, String bundle, String text) {
        LogConsole log = service(LogConsole.class);
        Await.until(what + ": an ERROR line of " + bundle + " with '" + text + "'", () -> log.tail(1000).stream()
                .anyMatch(line -> "ERROR".equals(line.level()) && bundle.equals(line.bundle())
                        && line.message().contains(text)));
    }
}

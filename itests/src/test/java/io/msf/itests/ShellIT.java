package io.msf.itests;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.msf.itests.tenant.EchoSetup;
import io.msf.mempool.api.MemoryPool;
import io.msf.net.api.Endpoint;
import io.msf.net.api.EndpointSpec;
import io.msf.net.api.NetworkService;
import io.msf.timer.api.Timeout;
import io.msf.timer.api.TimerService;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/** The msf Gogo commands run through the command processor and show what the services hold. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellIT extends MsfTestSupport {

    @Inject
    private CommandProcessor processor;

    @Inject
    private NetworkService net;

    @Inject
    private TimerService timers;

    @Inject
    private MemoryPool pool;

    @Inject
    private LoggerFactory loggers;

    @Test
    public void servicesListsEveryCoreServiceAsPresent() throws Exception {
        String out = run("msf:services");
        for (String service : List.of("event", "timer", "mempool", "net", "log", "config", "agent")) {
            assertTrue(service + " listed in:\n" + out, out.lines().anyMatch(line -> line.startsWith(service + " ")));
        }
        assertFalse("no core service missing:\n" + out, out.contains("missing"));
    }

    @Test
    public void netListShowsAnOpenEndpointWithItsOwnerAndAddress() throws Exception {
        try (Endpoint endpoint = net.open(EndpointSpec.tcpServer("itest-shell", 0), new EchoSetup())) {
            int port = ((InetSocketAddress) endpoint.localAddress()).getPort();
            String line = lineWith(run("net:list"), "itest-shell");
            assertTrue(line, line.contains(context.getBundle().getSymbolicName()));
            assertTrue(line, line.contains("127.0.0.1:" + port));
            assertTrue(line, line.contains("OPEN"));
        }
    }

    @Test
    public void timerListShowsAPendingTimerByOwner() throws Exception {
        Timeout timeout = timers.schedule(() -> { }, 1, TimeUnit.HOURS);
        try {
            lineWith(run("timer:list"), context.getBundle().getSymbolicName());
        } finally {
            timeout.cancel();
        }
    }

    @Test
    public void timerStatsShowsTheFiguresOfABundleThatScheduled() throws Exception {
        Timeout timeout = timers.schedule(() -> { }, 1, TimeUnit.HOURS);
        try {
            lineWith(run("timer:stats"), context.getBundle().getSymbolicName());
        } finally {
            timeout.cancel();
        }
    }

    @Test
    public void mempoolStatsShowsTheAccountOfABundleHoldingBuffers() throws Exception {
        ByteBuf buffer = pool.buffer(1000);
        try {
            String out = run("mempool:stats");
            lineWith(out, context.getBundle().getSymbolicName());
            // and its allocations by size class: the 1000 bytes asked for are in the class up to 1 KiB
            assertTrue(out, out.contains("\nallocations by size class:\n"));
            String bySizeClass = out.substring(out.indexOf("allocations by size class:"));
            assertTrue(out, lineWith(bySizeClass, context.getBundle().getSymbolicName()).contains("<=1KiB: "));
        } finally {
            buffer.release();
        }
    }

    @Test
    public void loopStatsShowsTheIoAndWorkerGroups() throws Exception {
        String out = run("loop:stats");
        for (String group : List.of("io", "worker")) {
            assertTrue(group + " row in:\n" + out, out.lines().anyMatch(line -> line.startsWith(group + " ")));
        }
    }

    @Test
    public void logTailShowsARecordJustLogged() throws Exception {
        String marker = "itest-marker-" + UUID.randomUUID();
        Logger logger = loggers.getLogger(context.getBundle(), "itest", Logger.class);
        logger.warn("shell test record {}", marker);

        String line = Await.value("log:tail showing " + marker, () -> {
            try {
                return run("log:tail -n 50");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, out -> out.contains(marker));
        assertTrue(line, lineWith(line, marker).contains("WARN"));
    }

    /**
     * bin/msf run's console (Gogo JLine's session, the one with a line reader) printed only Gogo's
     * "java.lang.IllegalArgumentException: Cannot coerce tail(Token, Token) ..." for wrong arguments;
     * msf's words naming the command and its help come first now, as bin/msf exec gives them.
     */
    @Test
    public void theLocalConsoleNamesTheCommandAndItsHelpForWrongArguments() throws Exception {
        String output = localConsoleOutput(processor, "log:tail -n many");

        assertTrue(output, output.startsWith("log:tail: wrong arguments (Cannot coerce tail(Token, Token) to any of"));
        assertTrue(output, output.contains("'help log:tail' shows what it takes"));
    }

    /** Runs a command line and returns what it printed followed by its formatted result. */
    private String run(String commandLine) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream printOut = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream printErr = new PrintStream(err, true, StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), printOut, printErr);
        try {
            Object result = session.execute(commandLine);
            String formatted = result == null ? "" : String.valueOf(session.format(result, Converter.INSPECT));
            String all = out.toString(StandardCharsets.UTF_8) + formatted;
            assertTrue(commandLine + " wrote errors: " + err.toString(StandardCharsets.UTF_8), err.size() == 0);
            assertFalse(commandLine + " printed nothing", all.isBlank());
            return all;
        } finally {
            session.close();
        }
    }

    private static String lineWith(String out, String text) {
        return out.lines().filter(line -> line.contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + text + "' in:\n" + out));
    }
}

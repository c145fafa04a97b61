package io.msf.itests.agent;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.config.api.ConfigProblem;
import io.msf.config.api.ConfigValidation;
import io.msf.dlna.api.Dlna;
import io.msf.dlna.api.MediaLibrary;
import io.msf.dlna.api.Track;
import io.msf.itests.Await;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.netty.buffer.Unpooled;
import io.msf.rpc.api.Rpc;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The demo bundles dlna and upnp as they are deployed (their own jars, their own component
 * descriptors): dlna offers its library as {@value Dlna#LIBRARY} and upnp plays its tracks, all over
 * RPC through the agent. Unit tests register the handlers by hand and cannot see a descriptor that
 * lost the handler's name.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DemosIT extends AgentTestSupport {

    /** upnp's STATUS request (UpnpService.STATUS): its status as text. */
    private static final int UPNP_STATUS = 1;

    @Configuration
    public Option[] configuration() throws IOException {
        return OptionUtils.combine(super.configuration(), moduleBundle("dlna"), moduleBundle("upnp"));
    }

    @Test
    public void theLibraryIsOfferedUnderItsName() {
        awaitPeer(Dlna.LIBRARY);

        List<Track> tracks = Rpc.proxy(client(), Address.name(Dlna.LIBRARY), MediaLibrary.class, PATIENT).tracks();

        assertEquals(4, tracks.size());
    }

    /** upnp's rounds "play" the library's tracks once its RPC for them succeeded; plain states before. */
    @Test
    public void upnpPlaysTheLibrarysTracks() {
        String status = Await.value("upnp's status naming a track it plays", this::upnpStatus,
                text -> text.contains("playing "));

        assertTrue(status, status.contains(" by "));
    }

    /**
     * The demos had an enabled of their own, which older files still set ({@code param.enabled = true}):
     * the gate, which refuses a key it does not know, must still take them, or an upgrade would leave
     * the old configuration in force and the new one listed by config:rejected.
     */
    @Test
    public void theGateTakesTheEnabledOfOlderConfigurations() {
        ConfigValidation gate = service(ConfigValidation.class);
        for (String pid : List.of("msf.demo.dlna", "msf.demo.upnp")) {
            // the description is there: an unknown key is refused (an empty check proves nothing otherwise)
            Await.until(pid + "'s Metatype known to the gate",
                    () -> !gate.check(pid, Map.of("enabledd", "true")).isEmpty());

            List<ConfigProblem> problems = gate.check(pid, Map.of("enabled", "true", "summaryMillis", "10000"));
            assertEquals(pid + ": " + problems, List.of(), problems);
            assertFalse(pid + " refuses enabled = false", gate.check(pid, Map.of("enabled", "false")).stream()
                    .anyMatch(problem -> problem.key().equals("enabled")));
        }
    }

    /**
     * Bytes that are not UTF-8 are refused by dlna's SET, saying so, rather than decoded into a state of U+FFFD
     * three times the bound; upnp drops a NOTIFY that could not be dlna's state rather than showing it as such.
     */
    @Test
    public void malformedStatesAreRefusedByDlnaAndDroppedByUpnp() throws Exception {
        awaitPeer(Dlna.NAME);
        byte[] notUtf8 = new byte[Dlna.MAX_STATE_BYTES];
        Arrays.fill(notUtf8, (byte) 0xFF);
        try {
            client().request(Address.name(Dlna.NAME), Dlna.SET, Unpooled.wrappedBuffer(notUtf8), PATIENT).release();
            fail("dlna took 256 bytes of 0xFF as its state");
        } catch (AgentException e) {
            assertEquals(ErrorCode.REMOTE_ERROR, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("got 256 bytes that are not UTF-8 (ffffffff"));
        }
        awaitPeer("upnp");
        String tooLong = "z".repeat(Dlna.MAX_STATE_BYTES + 1);

        await(client().notify(Address.name("upnp"), Dlna.STATE_CHANGED, utf8(tooLong)));

        String status = upnpStatus();
        assertFalse(status, status.contains(tooLong));
    }

    private String upnpStatus() {
        Message reply = client().request(Address.name("upnp"), UPNP_STATUS, Unpooled.EMPTY_BUFFER, PATIENT);
        return textOf(reply);
    }
}

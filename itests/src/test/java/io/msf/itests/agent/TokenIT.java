package io.msf.itests.agent;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.msf.client.api.Address;
import io.msf.client.api.AgentClients;
import io.msf.client.api.ConnectedClient;
import io.msf.itests.Await;
import io.msf.protocol.api.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Once a token is configured, every HELLO must carry it; handlers in the container are not
 * affected. (Over the socket file only: changing the token reopens the TCP listener.)
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TokenIT extends AgentTestSupport {

    private static final String TOKEN = "itest-secret";

    @Inject
    private ConfigurationAdmin configAdmin;

    private final AgentConfig agentConfig = new AgentConfig(() -> configAdmin);

    @After
    public void restoreAgentConfig() throws IOException {
        agentConfig.restore();
        Await.until("HELLO without a token accepted again", () -> helloAnswer("").type() == Frame.HELLO);
    }

    @Test
    public void configuredTokenIsRequiredInEveryHello() throws Exception {
        offer("itest.guarded", null, replying("guarded: "));
        agentConfig.set("token", TOKEN);
        Frame refusal = Await.value("HELLO without a token refused", () -> helloAnswer(""),
                answer -> answer.type() == Frame.ERROR);
        assertEquals("refusal: " + refusal, ErrorCode.UNAUTHORIZED.code(), refusal.error());
        assertTrue("closing: " + refusal, refusal.closing());
        assertTrue("the reason never shows a token: " + refusal, !refusal.text().contains(TOKEN));

        assertEquals("wrong token", ErrorCode.UNAUTHORIZED.code(), helloAnswer("guess").error());
        assertEquals("the right token", Frame.HELLO, helloAnswer(TOKEN).type());
        failure(ErrorCode.UNAUTHORIZED, () -> AgentClients.connect(overSocketFile().build()));
        ConnectedClient trusted = connect(overSocketFile().token(TOKEN));
        assertEquals("guarded: in", textOf(trusted.request(Address.name("itest.guarded"), 1, utf8("in"), PATIENT)));
        assertEquals("guarded: container", textOf(client().request(Address.name("itest.guarded"), 1,
                utf8("container"), PATIENT)));
    }

    /** The agent's answer to a HELLO over the socket file carrying {@code token}. */
    private Frame helloAnswer(String token) {
        try (RawPeer probe = RawPeer.connect(agentSocketFile())) {
            return probe.hello(Frame.hello(0, "", 0, 1, 1, 1 << 20, token));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

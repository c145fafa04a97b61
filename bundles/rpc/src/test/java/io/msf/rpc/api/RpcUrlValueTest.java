package io.msf.rpc.api;

import static io.msf.rpc.api.RefusedTypes.decodeFailure;
import static io.msf.rpc.api.RefusedTypes.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.MessageHandler;
import io.msf.client.testing.InMemoryAgent;
import io.msf.protocol.api.ErrorCode;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A {@code java.net.URL}'s equals and hashCode look its host up in DNS: a set of them, or a map keyed by
 * them, read from a peer's payload would hold up the thread reading the call for as long as the peer's
 * host names take to resolve or fail, and make two URLs one when their hosts share an address. An
 * interface with one is refused when its proxy or handler is made, naming where it is and what to send
 * instead; one only Jackson's annotations show is refused when read. A URI, which compares as text,
 * travels.
 */
class RpcUrlValueTest {

    private static final Address AT = Address.name("test.urls");

    @Test
    void aUrlParameterIsRefusedWhenTheHandlerOrTheProxyIsMade() {
        assertThatThrownBy(() -> Rpc.handler(Visits.class, links -> links.size()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Visits.class.getName() + ": parameter 1 of Visits.visit(Set) is a URL"
                        + " (java.util.Set<java.net.URL>)")
                .hasMessageContaining("look its host up in DNS")
                .hasMessageContaining("send a java.net.URI");
        try (InMemoryAgent agent = new InMemoryAgent()) {
            assertThatThrownBy(() -> Rpc.proxy(TestAgents.caller(agent), AT, Visits.class, Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("parameter 1 of Visits.visit(Set) is a URL");
        }
    }

    @Test
    void aUrlInsideARecordOrAResultIsRefusedWithItsPath() {
        assertThat(refusal(ByPage.class)).contains("parameter 1 of ByPage.index(Page) has a URL at Page.link"
                + " (java.net.URL)");
        assertThat(refusal(Mirrors.class)).contains("the result of Mirrors.all() is a URL"
                + " (java.util.Map<java.net.URL, java.lang.Integer>)");
    }

    @Test
    void aUrlOnlyJacksonSeesIsRefusedWhenRead() throws Exception {
        MessageHandler handler = Rpc.handler(Hidden.class, new Hidden() {
            @Override
            public String open(Box box) {
                return "opened";
            }

            @Override
            public int count(Keys keys) {
                return 0;
            }
        });

        int open = Rpc.command(Hidden.class.getMethod("open", Box.class));
        AgentException refused = decodeFailure(handler, AT.name(), open,
                List.of(Map.of("link", "http://peer-named.invalid/")));
        assertThat(refused.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
        assertThat(refused).hasMessageContaining("cannot decode the arguments of Hidden.open(Box)")
                .hasMessageContaining("a java.net.URL is not read from a payload");
        int count = Rpc.command(Hidden.class.getMethod("count", Keys.class));
        AgentException keyed = decodeFailure(handler, AT.name(), count,
                List.of(Map.of("counts", Map.of("http://peer-named.invalid/", 1))));
        assertThat(keyed).hasMessageContaining("a java.net.URL is not read from a payload");
    }

    @Test
    void aUriTravelsAsItsText() {
        Set<URI> sent = Set.of(URI.create("http://example.invalid/a"), URI.create("msf://agent/b?c=d"));
        try (InMemoryAgent agent = TestAgents.serving(AT, Rpc.handler(Pages.class, links -> links))) {
            Pages proxy = Rpc.proxy(TestAgents.caller(agent), AT, Pages.class, Duration.ofSeconds(10));
            assertThat(proxy.echo(sent)).isEqualTo(sent);
        }
    }

    public interface Visits {
        int visit(Set<URL> links);
    }

    public record Page(String title, URL link) {
    }

    public interface ByPage {
        void index(Page page);
    }

    public interface Mirrors {
        Map<URL, Integer> all();
    }

    public interface Pages {
        Set<URI> echo(Set<URI> links);
    }

    /** Its URL is a property only by Jackson's annotation: no getter or setter shows it. */
    public static final class Box {
        @JsonProperty
        private URL link;
    }

    /** Its URLs key a map. */
    public static final class Keys {
        @JsonProperty
        private Map<URL, Integer> counts;
    }

    public interface Hidden {
        String open(Box box);

        int count(Keys keys);
    }
}

package io.msf.agent.internal;

import io.msf.net.api.TlsSpec;
import io.msf.settings.KeyProblems;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The checks the config gate makes of an {@code etc/msf.agent.cfg} file before it applies it (named by
 * this bundle's {@code Msf-Config-Check} header), with the readings the agent makes:
 * <ul>
 * <li>{@code tlsClientAuth} as {@link TlsSpec.ClientAuth#parse} reads it: the word in any case, where
 *     Metatype options, matched exactly, refused {@code tlsClientAuth = REQUIRE};</li>
 * <li>a {@code tcpHost} written as an address beyond loopback ({@code 0.0.0.0}, {@code 10.1.2.3},
 *     {@code ::}) without a token or TLS client certificates, which the agent refuses as
 *     {@link ListenerSettings#tcpRefusal} does: refused here, the file is named with its line and
 *     listed by {@code config:rejected}, where the agent's own refusal named neither, and the file
 *     said one address while the listener kept the other. A host name is left to the agent: it
 *     would have to be resolved here, and the gate's check must not wait for a name server.</li>
 * </ul>
 */
public final class AgentCheck implements BiFunction<String, Map<String, Object>, Map<String, String>> {

    private static final String KEY = "tlsClientAuth";
    /** An IPv4 address, or an IPv6 one (it has a colon): read without asking a name server. */
    private static final Pattern ADDRESS_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    @Override
    public Map<String, String> apply(String pid, Map<String, Object> values) {
        KeyProblems problems = new KeyProblems();
        // a value of another type is the gate's Metatype check's to tell
        if (values.get(KEY) instanceof String clientAuth) {
            problems.check(KEY, () -> TlsSpec.ClientAuth.parse(clientAuth));
        }
        Map<String, String> found = problems.found();
        return unguardedAddress(values).<Map<String, String>>map(host -> {
            Map<String, String> all = new LinkedHashMap<>(found);
            all.put("tcpHost", ListenerSettings.unguarded(host));
            return all;
        }).orElse(found);
    }

    /**
     * The tcpHost of an open TCP listener (a tcpPort given, not -1), given as an address beyond loopback, that
     * nothing guards: as {@link ListenerSettings#guarded} decides, from the keys as the file has them.
     */
    private static Optional<String> unguardedAddress(Map<String, Object> values) {
        String host = text(values.get("tcpHost")).strip();
        String port = text(values.get("tcpPort")).strip();
        // a file that names no tcpPort leaves TCP off, the default (AgentConfiguration.tcpPort)
        if (host.isEmpty() || !ADDRESS_LITERAL.matcher(host).matches() || port.isEmpty() || port.startsWith("-")) {
            return Optional.empty();
        }
        boolean loopback;
        try {
            loopback = InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return Optional.empty(); // not an address after all: the agent tells why it does not resolve
        }
        boolean hasToken = !text(values.get("token")).isEmpty();
        return ListenerSettings.guarded(loopback, hasToken, asksForCertificates(values)) ? Optional.empty()
                : Optional.of(host);
    }

    /** tls on and tlsClientAuth require, read as the listener reads them; a bad word is told by its own check. */
    private static boolean asksForCertificates(Map<String, Object> values) {
        if (!"true".equalsIgnoreCase(text(values.get("tls")).strip())) {
            return false;
        }
        try {
            return TlsSpec.ClientAuth.parse(text(values.get(KEY))) == TlsSpec.ClientAuth.REQUIRE;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value);
    }
}

package io.msf.agent.internal;

import io.msf.net.api.TlsSpec;
import io.msf.settings.KeyProblems;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The check of {@code tlsClientAuth} that the config gate makes of an {@code etc/msf.agent.cfg} file
 * before it applies it (named by this bundle's {@code Msf-Config-Check} header), with the reading the
 * agent makes ({@link TlsSpec.ClientAuth#parse}): it takes the word in any case, where Metatype options,
 * matched exactly, refused {@code tlsClientAuth = REQUIRE}.
 */
public final class AgentCheck implements BiFunction<String, Map<String, Object>, Map<String, String>> {

    private static final String KEY = "tlsClientAuth";

    @Override
    public Map<String, String> apply(String pid, Map<String, Object> values) {
        KeyProblems problems = new KeyProblems();
        // a value of another type is the gate's Metatype check's to tell
        if (values.get(KEY) instanceof String clientAuth) {
            problems.check(KEY, () -> TlsSpec.ClientAuth.parse(clientAuth));
        }
        return problems.found();
    }
}

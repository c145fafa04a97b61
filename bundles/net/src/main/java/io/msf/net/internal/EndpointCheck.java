package io.msf.net.internal;

import io.msf.net.api.TlsSpec;
import io.msf.settings.KeyProblems;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The check of {@code transport}, {@code framing} and {@code tlsClientAuth} that the config gate makes
 * of an {@code etc/msf.net.endpoint~<name>} file before it applies it (named by this bundle's
 * {@code Msf-Config-Check} header), with the parsing the endpoint itself does: it reads these words in
 * any case ({@code TCP-SERVER}, {@code None}), where Metatype options, matched exactly, refused a file
 * the endpoint would take. One reading of each key, so the gate refuses what the endpoint refuses and
 * nothing else, naming file, line and key.
 */
public final class EndpointCheck implements BiFunction<String, Map<String, Object>, Map<String, String>> {

    @Override
    public Map<String, String> apply(String pid, Map<String, Object> values) {
        KeyProblems problems = new KeyProblems();
        // a value of another type is the gate's Metatype check's to tell
        if (values.get("transport") instanceof String transport) {
            problems.check("transport", () -> ConfiguredSpec.transport(transport));
        }
        if (values.get("framing") instanceof String framing) {
            problems.check("framing", () -> ConfiguredSpec.framing(framing));
        }
        if (values.get("tlsClientAuth") instanceof String clientAuth) {
            problems.check("tlsClientAuth", () -> TlsSpec.ClientAuth.parse(clientAuth));
        }
        return problems.found();
    }
}

package io.msf.config.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A service configuration ({@code msf.service~<name>}) carries the service's own parameters as
 * {@code param.<key>} keys, which the deployer copies into the configuration named by its
 * {@code pid} key. Metatype cannot describe keys by prefix, so they are checked here against the
 * description of that PID instead: the same checks the service's own file would get. While the
 * service's bundle is not installed its PID has no description, and the parameters pass unchecked.
 */
final class ServiceParams {

    static final String SERVICE_FACTORY_PID = "msf.service";
    static final String PREFIX = "param.";

    private ServiceParams() {
    }

    /**
     * The problems of a configuration's keys against its description, with the {@code param.*}
     * keys of a service configuration checked against the description of their PID.
     *
     * @param name the factory configuration's name (the service name), or null
     */
    static List<ConfigValidator.KeyProblem> validate(String pid, String name, Map<String, Object> values,
            Description described, Function<String, Optional<Description>> descriptions) {
        if (!SERVICE_FACTORY_PID.equals(pid)) {
            return ConfigValidator.validate(values, described,
                    name == null || name.isEmpty() ? pid : pid + "~" + name);
        }
        Map<String, Object> own = new LinkedHashMap<>();
        Map<String, Object> params = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(PREFIX) && key.length() > PREFIX.length()) {
                params.put(key.substring(PREFIX.length()), value);
            } else {
                own.put(key, value);
            }
        });
        List<ConfigValidator.KeyProblem> problems = new ArrayList<>(ConfigValidator.validate(own, described,
                pid + "~" + name));
        if (params.isEmpty()) {
            return problems;
        }
        String target = targetPid(name, values.get("pid"));
        Optional<Description> targetDescription = descriptions.apply(Pids.base(target));
        targetDescription.ifPresent(d -> ConfigValidator.validate(params, d, target).forEach(p -> problems.add(
                new ConfigValidator.KeyProblem(PREFIX + p.key(), p.reason() + " (a parameter of " + target + ")"))));
        return problems;
    }

    /** The deployer's rule: the {@code pid} key, or {@code msf.service.<name>} when it is empty. */
    static String targetPid(String name, Object pid) {
        String given = pid == null ? "" : pid.toString().trim();
        return given.isEmpty() ? SERVICE_FACTORY_PID + "." + name : given;
    }
}

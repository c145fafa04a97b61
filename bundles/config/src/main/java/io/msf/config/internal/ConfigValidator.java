package io.msf.config.internal;

import io.msf.text.SecretNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Checks every key of a configuration against the Metatype description of its PID: a key must be
 * described (or be one the framework, FileInstall or DS itself reads) and its value must fit.
 */
final class ConfigValidator {

    /** Keys that configure the framework, FileInstall or DS rather than the component. */
    private static final List<String> PASSING_PREFIXES = List.of("service.", "felix.fileinstall.", "component.");
    /** DS reads {@code <reference>.target} as the LDAP filter of a reference. */
    private static final String TARGET_SUFFIX = ".target";
    private static final String UNKNOWN_KEY = "unknown key";
    /** A password in a message, as {@link ValueCheck} names it. */
    private static final String PASSWORD = "the password";

    private ConfigValidator() {
    }

    /** A key that is wrong, and why. */
    record KeyProblem(String key, String reason) {
    }

    /**
     * @param configurationPid the configuration's PID, {@code factoryPid~name} for a factory one: what
     *                         the bundle's own check ({@link Description#ownCheck}) is told
     */
    static List<KeyProblem> validate(Map<String, Object> values, Description description, String configurationPid) {
        ObjectClassDefinition ocd = description.ocd();
        Map<String, AttributeDefinition> described = new TreeMap<>();
        AttributeDefinition[] ads = ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
        if (ads != null) {
            for (AttributeDefinition ad : ads) {
                described.put(ad.getID(), ad);
            }
        }
        List<KeyProblem> problems = new ArrayList<>();
        values.forEach((key, value) -> problemWith(key, value, described, description).ifPresent(
                reason -> problems.add(new KeyProblem(key, reason + parameterHint(configurationPid, key, reason)))));
        missingRequired(values, ocd).forEach(key -> problems.add(new KeyProblem(key,
                "missing; this configuration needs it and it has no default")));
        // the bundle's own checks, of keys Metatype passed: a key's first problem is the one told
        Set<String> wrong = problems.stream().map(KeyProblem::key).collect(Collectors.toSet());
        Map<String, String> own = description.ownCheck().problems(configurationPid, values);
        if (!own.isEmpty()) {
            List<String> passwords = passwordTexts(values, described);
            own.forEach((key, reason) -> {
                if (!wrong.contains(key)) {
                    problems.add(new KeyProblem(key, withoutPasswords(reason, passwords)));
                }
            });
        }
        return problems;
    }

    /**
     * The values, as text, of the keys that hold a password: typed PASSWORD, or named as a secret (as
     * {@link SecretNames}). Longest first, so that a password inside another
     * is not replaced first and leaves the rest of the longer one in the reason.
     */
    private static List<String> passwordTexts(Map<String, Object> values, Map<String, AttributeDefinition> described) {
        List<String> texts = new ArrayList<>();
        values.forEach((key, value) -> {
            AttributeDefinition ad = described.get(key);
            if (ad != null && ad.getType() == AttributeDefinition.PASSWORD || SecretNames.namedAsSecret(key)) {
                ValueCheck.elements(value).stream().map(String::valueOf).filter(text -> !text.isEmpty())
                        .forEach(texts::add);
            }
        });
        texts.sort(Comparator.comparingInt(String::length).reversed());
        return texts;
    }

    /**
     * A bundle's reason with each password in it named as {@link ValueCheck} names one: its check may
     * quote what it refuses ({@code 'hunter2' is not a number}), and its reasons go into the ERROR line
     * and {@code config:rejected}.
     */
    private static String withoutPasswords(String reason, List<String> passwords) {
        String told = reason;
        for (String password : passwords) {
            told = told.replace("'" + password + "'", PASSWORD).replace(password, PASSWORD);
        }
        return told;
    }

    /**
     * The required keys without a default that {@code values} lacks. Such a file cannot work, and is
     * most often one read half written (an editor, or FileInstall's own write-back if it is on,
     * rewrites a file in place): refusing it keeps the last good configuration.
     */
    private static List<String> missingRequired(Map<String, Object> values, ObjectClassDefinition ocd) {
        AttributeDefinition[] required = ocd.getAttributeDefinitions(ObjectClassDefinition.REQUIRED);
        List<String> missing = new ArrayList<>();
        if (required != null) {
            for (AttributeDefinition ad : required) {
                String[] defaults = ad.getDefaultValue();
                if ((defaults == null || defaults.length == 0) && !values.containsKey(ad.getID())) {
                    missing.add(ad.getID());
                }
            }
        }
        return missing;
    }

    /**
     * In a service's configuration an unknown plain key is most often one of the service's own
     * parameters written without its prefix ({@code msf:deploy x x.jar interval=5}, a file's
     * {@code interval = 5}): the list of the service's keys alone does not say where it belongs.
     */
    private static String parameterHint(String configurationPid, String key, String reason) {
        boolean service = configurationPid != null && (configurationPid.equals(ServiceParams.SERVICE_FACTORY_PID)
                || configurationPid.startsWith(ServiceParams.SERVICE_FACTORY_PID + "~"));
        return service && reason.startsWith(UNKNOWN_KEY) && key.indexOf('.') < 0
                ? "; a parameter of the service is written param." + key : "";
    }

    private static Optional<String> problemWith(String key, Object value, Map<String, AttributeDefinition> described,
            Description description) {
        AttributeDefinition ad = described.get(key);
        if (ad != null) {
            return ValueCheck.check(ad, () -> description.boundsOf(key), value);
        }
        if (PASSING_PREFIXES.stream().anyMatch(key::startsWith)) {
            return Optional.empty();
        }
        if (key.endsWith(TARGET_SUFFIX) && key.length() > TARGET_SUFFIX.length()) {
            return filterProblem(value);
        }
        String meant = KeySuggestion.of(key, described.keySet()).map(known -> " (did you mean '" + known + "'?)")
                .orElse("");
        return Optional.of(UNKNOWN_KEY + meant + "; the keys of this configuration are "
                + String.join(", ", described.keySet()));
    }

    private static Optional<String> filterProblem(Object value) {
        if (!(value instanceof String filter)) {
            return Optional.of("a reference target must be one LDAP filter string, not " + value);
        }
        try {
            FrameworkUtil.createFilter(filter);
            return Optional.empty();
        } catch (InvalidSyntaxException e) {
            return Optional.of(Quoted.value(filter) + " is not a valid LDAP filter: " + e.getMessage());
        }
    }
}

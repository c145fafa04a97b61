package io.msf.supervisor.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys of an msf.process configuration that a refusal is told against, best first. A refusal of
 * one key starts with it ({@code "command: ..."}); one of two keys at odds names both, quoted
 * ({@code "keys 'backoffInitialMillis' (5000) and 'backoffMaxMillis' (100): ..."}): the later one
 * comes first, the one whose value breaks the rule once the other is set, then the other, for a file
 * that sets only that one.
 */
final class RefusedKeys {

    private static final Pattern FIRST_KEY = Pattern.compile("([A-Za-z]+): ");
    private static final Pattern QUOTED_KEY = Pattern.compile("'([A-Za-z]+)'");

    private RefusedKeys() {
    }

    /** The keys named, best first; empty if it names none (the file as a whole). */
    static List<String> of(String refusal) {
        List<String> keys = new ArrayList<>();
        Matcher first = FIRST_KEY.matcher(refusal);
        if (first.lookingAt() && isKey(first.group(1))) {
            keys.add(first.group(1));
            return keys;
        }
        Matcher quoted = QUOTED_KEY.matcher(refusal);
        while (quoted.find()) {
            if (isKey(quoted.group(1)) && !keys.contains(quoted.group(1))) {
                keys.add(0, quoted.group(1));
            }
        }
        return keys;
    }

    static boolean isKey(String name) {
        try {
            ProcessConfiguration.class.getDeclaredMethod(name);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}

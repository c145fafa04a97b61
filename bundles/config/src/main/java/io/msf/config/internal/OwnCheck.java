package io.msf.config.internal;

import io.msf.concurrent.DetachedThreads;
import io.msf.text.SecretNames;
import java.util.Collections;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.osgi.framework.Bundle;

/**
 * The checks a bundle makes of its configuration's values beyond what Metatype can say (the
 * syntax of a list inside one value, say), named in its manifest so that the gate makes them too:
 * {@code Msf-Config-Check: <pid>=<class>, ...}. The class is public, has a public constructor
 * without parameters and is a {@code BiFunction<String, Map<String, Object>, Map<String, String>>}:
 * given the configuration's PID ({@code factoryPid~name} for a factory one) and its values as the
 * file gives them, it returns what is wrong by key (an empty key: the file as a whole).
 *
 * <p>Without these, a value Metatype lets pass was refused by the component alone, which names
 * the PID but not the file and line, after the gate had said the file was applied; and the
 * configuration in force was the refused one. A manifest header, not a service: a bundle's class
 * can be loaded once it is resolved, before it is started (the supervisor starts after FileInstall's
 * first scan), and the bundle needs no package of this one.
 *
 * <p>The check runs on a thread of its own, waited for at most {@link #ANSWER_MILLIS}: the gate runs
 * on FileInstall's thread, and a check that hangs would stop every later file of every PID from
 * being applied or deleted.
 *
 * <p>A check that fails is named in a warning with what it threw; but where the values hold a password
 * (a key of Metatype type PASSWORD, or one whose name says it is a secret: {@code password},
 * {@code secret} or {@code token} in it), with the class of what it threw only: a check that failed on
 * a password ({@code NumberFormatException: For input string: "hunter2"}) put it into the log.
 */
@FunctionalInterface
interface OwnCheck {

    String HEADER = "Msf-Config-Check";
    OwnCheck NONE = (pid, values) -> Map.of();
    /** Far more than parsing a few values takes, a class loaded first on a loaded machine included. */
    long ANSWER_MILLIS = 5_000;

    /**
     * What the bundle finds wrong, by key; none if the bundle's check cannot be loaded, fails or does
     * not answer in time (said in a warning): its component checks the values again when it gets
     * them, and refuses them there.
     */
    Map<String, String> problems(String pid, Map<String, Object> values);

    /**
     * The check {@code bundle} names for {@code pid} (a PID or factory PID), or {@link #NONE}.
     *
     * @param passwords the keys of {@code pid} of Metatype type PASSWORD ({@link SecretKeys#passwords})
     * @param warnings told why a check named could not be made, naming the bundle, the PID and the class
     */
    static OwnCheck of(Bundle bundle, String pid, Set<String> passwords, Consumer<String> warnings) {
        return of(bundle, pid, passwords, warnings, ANSWER_MILLIS);
    }

    /** As {@link #of(Bundle, String, Set, Consumer)}, waiting {@code answerMillis} for the check's answer. */
    static OwnCheck of(Bundle bundle, String pid, Set<String> passwords, Consumer<String> warnings,
            long answerMillis) {
        Dictionary<String, String> headers;
        try {
            headers = bundle.getHeaders("");
        } catch (IllegalStateException e) {
            return NONE; // uninstalled meanwhile
        }
        String header = headers == null ? null : headers.get(HEADER);
        if (header == null) {
            return NONE;
        }
        for (String entry : header.split(",")) {
            int eq = entry.indexOf('=');
            if (eq > 0 && entry.substring(0, eq).strip().equals(pid)) {
                String className = entry.substring(eq + 1).strip();
                Predicate<String> secret = key -> passwords.contains(key) || SecretNames.namedAsSecret(key);
                return (configurationPid, values) -> run(bundle, className, configurationPid, values,
                        values.keySet().stream().anyMatch(secret), warnings, answerMillis);
            }
        }
        return NONE;
    }

    /** @param password whether {@code values} hold a password, which what the check threw may repeat */
    private static Map<String, String> run(Bundle bundle, String className, String pid, Map<String, Object> values,
            boolean password, Consumer<String> warnings, long answerMillis) {
        String named = "the check " + className + " that bundle " + name(bundle) + " names for " + pid + " in its "
                + HEADER + " header";
        String without = ": the values are checked without it, by the component when it gets them";
        if (LateChecks.stillRunning(bundle.getBundleId(), className)) {
            warnings.accept(named + " still runs from an earlier call it did not answer in time" + without);
            return Map.of();
        }
        CompletableFuture<Map<String, String>> answer = new CompletableFuture<>();
        Map<String, Object> given = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        // Keeps nothing of FileInstall's thread: it may outlive this call, if the check hangs.
        Thread checking = DetachedThreads.newThread(() -> {
            try {
                answer.complete(apply(bundle, className, pid, given));
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        }, "msf-config-check " + pid);
        try {
            checking.start();
            return answer.get(answerMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            checking.interrupt();
            LateChecks.late(bundle.getBundleId(), className, checking);
            warnings.accept(named + " did not answer within " + answerMillis + " ms" + without);
        } catch (ExecutionException e) {
            Throwable thrown = e.getCause();
            warnings.accept(named + " cannot be made (" + (password ? thrown.getClass().getName()
                    + "; its message is not repeated: the values hold a password" : thrown) + ")" + without);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // FileInstall stopping: nothing is applied any more
        }
        return Map.of();
    }

    /** The check's answer, copied as text: whatever it returns, the gate's own code must not fail on it. */
    private static Map<String, String> apply(Bundle bundle, String className, String pid, Map<String, Object> values)
            throws ReflectiveOperationException {
        Object check = bundle.loadClass(className).getConstructor().newInstance();
        if (!(check instanceof BiFunction<?, ?, ?> function)) {
            throw new ClassCastException(className + " is no BiFunction<String, Map<String, Object>, Map<String, String>>");
        }
        @SuppressWarnings("unchecked")
        Map<?, ?> problems = ((BiFunction<String, Map<String, Object>, Map<?, ?>>) function).apply(pid, values);
        Map<String, String> copy = new LinkedHashMap<>();
        if (problems != null) {
            problems.forEach((key, reason) -> copy.put(key == null ? "" : key.toString(), String.valueOf(reason)));
        }
        return copy;
    }

    private static String name(Bundle bundle) {
        return bundle.getSymbolicName() + " [" + bundle.getBundleId() + "]";
    }
}

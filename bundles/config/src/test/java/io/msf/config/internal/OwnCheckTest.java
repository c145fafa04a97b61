package io.msf.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

/** How the gate finds and runs the check a bundle names in its Msf-Config-Check header. */
class OwnCheckTest {

    private final List<String> warnings = new ArrayList<>();

    /** A check as a bundle would have it: refuses any value 'bad'. */
    public static final class RefusesBad implements BiFunction<String, Map<String, Object>, Map<String, String>> {
        @Override
        public Map<String, String> apply(String pid, Map<String, Object> values) {
            return "bad".equals(values.get("key")) ? Map.of("key", "bad in " + pid) : Map.of();
        }
    }

    /** A check that fails on its own. */
    public static final class Throws implements BiFunction<String, Map<String, Object>, Map<String, String>> {
        @Override
        public Map<String, String> apply(String pid, Map<String, Object> values) {
            throw new IllegalStateException("a bug of the bundle's");
        }
    }

    /** A check that never answers (it waits on something of its bundle's that never comes, say). */
    public static final class Hangs implements BiFunction<String, Map<String, Object>, Map<String, String>> {
        @Override
        public Map<String, String> apply(String pid, Map<String, Object> values) {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Map.of("key", "answered too late");
        }
    }

    /** A check whose answer is not text by text (raw types), with the file as a whole under a null key. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static final class AnswersNumbers implements BiFunction {
        @Override
        public Object apply(Object pid, Object values) {
            Map answer = new HashMap();
            answer.put("key", 42);
            answer.put(null, "the file as a whole");
            return answer;
        }
    }

    @Test
    void theCheckNamedForThePidIsRun() {
        Bundle bundle = bundle("msf.other=" + Throws.class.getName() + " , msf.mine = " + RefusesBad.class.getName());

        assertThat(OwnCheck.of(bundle, "msf.mine", Set.of(), warnings::add).problems("msf.mine~a", Map.of("key", "bad")))
                .containsExactly(Map.entry("key", "bad in msf.mine~a"));
        assertThat(OwnCheck.of(bundle, "msf.mine", Set.of(), warnings::add).problems("msf.mine~a", Map.of("key", "good")))
                .isEmpty();
        assertThat(OwnCheck.of(bundle, "msf.none", Set.of(), warnings::add)).isSameAs(OwnCheck.NONE);
        assertThat(OwnCheck.of(bundle(null), "msf.mine", Set.of(), warnings::add)).isSameAs(OwnCheck.NONE);
        assertThat(warnings).isEmpty();
    }

    /**
     * The component checks the values again when it gets them: a check that cannot run refuses nothing.
     * But its bundle's developer is told why, naming bundle, PID and class: a misspelt class name in the
     * header would otherwise go unnoticed for ever.
     */
    @Test
    void aCheckThatFailsOrCannotBeLoadedFindsNothingAndIsToldOf() {
        assertThat(OwnCheck.of(bundle("msf.mine=" + Throws.class.getName()), "msf.mine", Set.of(), warnings::add)
                .problems("msf.mine", Map.of("key", "bad"))).isEmpty();
        assertThat(OwnCheck.of(bundle("msf.mine=no.such.Check"), "msf.mine", Set.of(), warnings::add)
                .problems("msf.mine", Map.of("key", "bad"))).isEmpty();
        assertThat(OwnCheck.of(bundle("msf.mine=" + String.class.getName()), "msf.mine", Set.of(), warnings::add)
                .problems("msf.mine", Map.of("key", "bad"))).isEmpty();

        assertThat(warnings).hasSize(3).allSatisfy(warning -> assertThat(warning)
                .startsWith("the check ").contains("that bundle test.bundle [7] names for msf.mine in its "
                        + "Msf-Config-Check header cannot be made (")
                .endsWith("): the values are checked without it, by the component when it gets them"));
        assertThat(warnings.get(0)).contains(Throws.class.getName(), "IllegalStateException: a bug of the bundle's");
        assertThat(warnings.get(1)).contains("ClassNotFoundException: no.such.Check");
        assertThat(warnings.get(2)).contains("java.lang.String is no BiFunction");
    }

    /** A check that fails on a value it cannot parse, quoting it, as Integer.parseInt does. */
    public static final class ParsesPin implements BiFunction<String, Map<String, Object>, Map<String, String>> {
        @Override
        public Map<String, String> apply(String pid, Map<String, Object> values) {
            Integer.parseInt(String.valueOf(values.get("pin")));
            return Map.of();
        }
    }

    /**
     * Before, the warning repeated what the check threw, message included: {@code NumberFormatException: For
     * input string: "hunter2"} put a password into the log. With a password among the values (typed PASSWORD,
     * or named as a secret) only the class of what was thrown is told.
     */
    @Test
    void aCheckThatFailsOnValuesHoldingAPasswordIsToldOfWithoutItsMessage() {
        Bundle bundle = bundle("msf.mine=" + ParsesPin.class.getName());

        assertThat(OwnCheck.of(bundle, "msf.mine", Set.of("pin"), warnings::add)
                .problems("msf.mine", Map.of("pin", "hunter2"))).isEmpty();
        assertThat(OwnCheck.of(bundle, "msf.mine", Set.of(), warnings::add)
                .problems("msf.mine", Map.of("pin", "12", "apiToken", "s3cr3t", "other", "x"))).isEmpty();
        assertThat(OwnCheck.of(bundle("msf.mine=" + Throws.class.getName()), "msf.mine", Set.of(), warnings::add)
                .problems("msf.mine", Map.of("dbPassword", "hunter2"))).isEmpty();

        assertThat(warnings).hasSize(2).allSatisfy(warning -> assertThat(warning)
                .doesNotContain("hunter2").doesNotContain("For input string"));
        assertThat(warnings.get(0)).isEqualTo("the check " + ParsesPin.class.getName() + " that bundle test.bundle [7]"
                        + " names for msf.mine in its Msf-Config-Check header cannot be made"
                        + " (java.lang.NumberFormatException; its message is not repeated: the values hold a password):"
                        + " the values are checked without it, by the component when it gets them");
        assertThat(warnings.get(1)).contains("(java.lang.IllegalStateException; its message is not repeated")
                .doesNotContain("a bug of the bundle's");
    }

    /** Without a password among the values, the message is told: it is what the bundle's developer needs. */
    @Test
    void aCheckThatFailsOnValuesWithoutAPasswordIsToldOfWithItsMessage() {
        assertThat(OwnCheck.of(bundle("msf.mine=" + ParsesPin.class.getName()), "msf.mine", Set.of("secretPin"),
                warnings::add).problems("msf.mine", Map.of("pin", "12x"))).isEmpty();

        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("(java.lang.NumberFormatException: For input string: \"12x\")");
    }

    /**
     * The gate runs on FileInstall's thread: a check that hangs stopped every later file of every PID from
     * being applied. Failed before: the call never returned.
     */
    @Test
    void aCheckThatDoesNotAnswerHoldsUpTheGateNoLongerThanItsBound() {
        OwnCheck hangs = OwnCheck.of(bundle("msf.mine=" + Hangs.class.getName()), "msf.mine", Set.of(), warnings::add, 200);

        assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThat(hangs.problems("msf.mine~a", Map.of("key", "bad"))).isEmpty());
        assertThat(warnings).containsExactly("the check " + Hangs.class.getName() + " that bundle test.bundle [7]"
                + " names for msf.mine~a in its Msf-Config-Check header did not answer within 200 ms: the values"
                + " are checked without it, by the component when it gets them");
    }

    /** A check that never answers, and takes no interrupt: it waits until the test lets it go. */
    public static final class HangsDeaf implements BiFunction<String, Map<String, Object>, Map<String, String>> {
        static final CountDownLatch LET_GO = new CountDownLatch(1);
        static final AtomicInteger CALLS = new AtomicInteger();

        @Override
        public Map<String, String> apply(String pid, Map<String, Object> values) {
            CALLS.incrementAndGet();
            while (true) {
                try {
                    LET_GO.await();
                    return Map.of();
                } catch (InterruptedException e) {
                    // deaf to it, as a check stuck in a socket read is
                }
            }
        }
    }

    /**
     * A check still running from a call it did not answer is not started again for the next file: else
     * each file of its PID held FileInstall's thread for the whole wait, and left one more thread.
     */
    @Test
    void aCheckStillRunningFromALateCallIsNotStartedAgain() {
        OwnCheck hangs = OwnCheck.of(bundle("msf.mine=" + HangsDeaf.class.getName()), "msf.mine", Set.of(), warnings::add, 200);
        try {
            assertThat(hangs.problems("msf.mine~a", Map.of())).isEmpty();
            assertThat(hangs.problems("msf.mine~b", Map.of())).isEmpty();

            assertThat(warnings).hasSize(2);
            assertThat(warnings.get(0)).contains("did not answer within 200 ms");
            assertThat(warnings.get(1)).isEqualTo("the check " + HangsDeaf.class.getName() + " that bundle test.bundle"
                    + " [7] names for msf.mine~b in its Msf-Config-Check header still runs from an earlier call it did"
                    + " not answer in time: the values are checked without it, by the component when it gets them");
            assertThat(HangsDeaf.CALLS).hasValue(1);
        } finally {
            HangsDeaf.LET_GO.countDown();
        }
    }

    /** Whatever the check answers, the gate's own code must not fail on it (FileInstall's thread again). */
    @Test
    void anAnswerNotOfTextIsTakenAsText() {
        assertThat(OwnCheck.of(bundle("msf.mine=" + AnswersNumbers.class.getName()), "msf.mine", Set.of(), warnings::add)
                .problems("msf.mine", Map.of()))
                .containsOnly(Map.entry("key", "42"), Map.entry("", "the file as a whole"));
    }

    private static Bundle bundle(String header) {
        Dictionary<String, String> headers = new Hashtable<>();
        if (header != null) {
            headers.put(OwnCheck.HEADER, header);
        }
        return (Bundle) Proxy.newProxyInstance(OwnCheckTest.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getHeaders" -> headers;
                    case "loadClass" -> Class.forName((String) args[0]);
                    case "getSymbolicName" -> "test.bundle";
                    case "getBundleId" -> 7L;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}

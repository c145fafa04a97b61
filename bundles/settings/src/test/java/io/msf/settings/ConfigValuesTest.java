package io.msf.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {

    enum Mode { FAST, SAFE }

    @interface Sample {
        int port() default 7000;

        long timeout_millis() default 5;

        boolean enabled() default true;

        Mode mode() default Mode.FAST;

        int[] ports() default {};

        String name() default "";

        String my__name$() default "";
    }

    /** As SCR's proxy: a member whose value is in {@code values} and cannot be converted throws. */
    private static Sample scrSample(Map<String, Object> values) {
        return (Sample) Proxy.newProxyInstance(Sample.class.getClassLoader(), new Class<?>[] {Sample.class},
                (proxy, member, args) -> {
                    if (member.getDeclaringClass() == Object.class) {
                        return member.getName().equals("toString") ? "Sample" + values : member.invoke(values, args);
                    }
                    Object value = values.get(member.getName());
                    if (value instanceof Object[] list && list.length == 0 && !member.getReturnType().isArray()) {
                        return null; // what SCR hands over for a key set to an empty list
                    }
                    if (value instanceof String text && member.getReturnType() != String.class) {
                        // what Felix SCR throws for "abc" as an int
                        throw new IllegalStateException("Cannot convert '" + text + "' to " + member.getReturnType());
                    }
                    return value != null ? value : member.getDefaultValue();
                });
    }

    @Test
    void aValueThatCannotBeConvertedNamesItsKeyAndWhatItShouldBe() {
        Sample sample = ConfigValues.naming(Sample.class, scrSample(Map.of("port", "abc", "timeout_millis", "x",
                "enabled", "maybe", "mode", "SLOW", "ports", "1,a")));

        assertThatThrownBy(sample::port).isInstanceOf(ConfigValues.UnreadableValueException.class)
                .hasMessage("port: the value cannot be read as a number (Cannot convert 'abc' to int)")
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(sample::timeout_millis).hasMessageStartingWith("timeout.millis: the value cannot be read"
                + " as a number");
        assertThatThrownBy(sample::enabled).hasMessageStartingWith("enabled: the value cannot be read as true or"
                + " false");
        assertThatThrownBy(sample::mode).hasMessageStartingWith("mode: the value cannot be read as one of FAST, SAFE");
        assertThatThrownBy(sample::ports).hasMessageStartingWith("ports: the value cannot be read as a list whose"
                + " values are each a number");
    }

    @Test
    void aKeySetToAnEmptyListWhereOneValueBelongsIsRefusedNamingTheKey() {
        Sample sample = ConfigValues.naming(Sample.class, scrSample(Map.of("name", new String[0], "mode",
                new String[0], "ports", new int[0])), "msf.sample");

        assertThatThrownBy(sample::name).isInstanceOf(ConfigValues.UnreadableValueException.class)
                .hasMessage("msf.sample: name: no value (it is set to an empty list)");
        assertThatThrownBy(sample::mode).hasMessage("msf.sample: mode: no value (it is set to an empty list)");
        assertThat(sample.ports()).isEmpty();
    }

    @Test
    void aConfigurationReadThroughItTwiceNamesTheKeyOnce() {
        Sample sample = ConfigValues.naming(Sample.class, ConfigValues.naming(Sample.class,
                scrSample(Map.of("port", "abc"))));

        assertThatThrownBy(sample::port).hasMessage("port: the value cannot be read as a number"
                + " (Cannot convert 'abc' to int)");
    }

    @Test
    void theMessageCanStartWithTheOwnerOfTheConfiguration() {
        Sample sample = ConfigValues.naming(Sample.class, scrSample(Map.of("port", "abc")), "msf.net.endpoint~echo");

        assertThatThrownBy(sample::port).hasMessage("msf.net.endpoint~echo: port: the value cannot be read as a number"
                + " (Cannot convert 'abc' to int)");
    }

    @Test
    void valuesThatCanBeReadPassThrough() {
        Sample sample = ConfigValues.naming(Sample.class, scrSample(Map.of("port", 7001, "name", "echo")));

        assertThat(sample.port()).isEqualTo(7001);
        assertThat(sample.name()).isEqualTo("echo");
        assertThat(sample.timeout_millis()).isEqualTo(5);
        assertThat(sample.mode()).isEqualTo(Mode.FAST);
        assertThat(sample.toString()).startsWith("Sample{");
    }

    @Test
    void keysFollowTheDeclarativeServicesNamingRules() throws Exception {
        assertThat(ConfigValues.key(Sample.class.getDeclaredMethod("timeout_millis"))).isEqualTo("timeout.millis");
        assertThat(ConfigValues.key(Sample.class.getDeclaredMethod("my__name$"))).isEqualTo("my_name");
        assertThat(ConfigValues.key(Sample.class.getDeclaredMethod("port"))).isEqualTo("port");
    }
}

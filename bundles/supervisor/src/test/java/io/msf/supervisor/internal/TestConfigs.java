package io.msf.supervisor.internal;

import io.msf.settings.testing.ComponentConfigs;
import java.util.Map;

/** A {@link ProcessConfiguration} as DS would build it: the annotation's defaults, some keys overridden. */
final class TestConfigs {

    private TestConfigs() {
    }

    static ProcessConfiguration process(Map<String, Object> values) {
        return ComponentConfigs.of(ProcessConfiguration.class, values);
    }
}

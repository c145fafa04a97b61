package io.msf.deploy.internal;

import java.util.HashMap;
import java.util.Map;

/** Service specs for the tests, read the way a configuration is. */
final class Specs {

    private Specs() {
    }

    static ServiceSpec spec(String name, String location, String... keyValues) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("location", location);
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return ServiceSpecs.read(name, properties);
    }
}

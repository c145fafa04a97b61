package io.msf.itests.deploy.service;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A Declarative Services component configured by PID {@value #PID}, offered as a
 * {@code Supplier<String>} that says {@code <greeting>#<activations>}: a live parameter change
 * must change the greeting without a new activation (and without restarting the bundle).
 */
public final class ParamComponent implements Supplier<String> {

    public static final String PID = "msf.itests.param";
    public static final String ROLE = "msf.itests.role";

    public static final String XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="itest.param" immediate="true"
                configuration-pid="msf.itests.param" activate="activate" modified="modified">
              <implementation class="io.msf.itests.deploy.service.ParamComponent"/>
              <property name="msf.itests.role" value="param"/>
              <service><provide interface="java.util.function.Supplier"/></service>
            </scr:component>
            """;

    /** The same component, which DS activates only while it has a configuration of {@value #PID}. */
    public static final String REQUIRED = """
            <?xml version="1.0" encoding="UTF-8"?>
            <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="itest.param.required"
                immediate="true" configuration-pid="msf.itests.param" configuration-policy="require"
                activate="activate" modified="modified">
              <implementation class="io.msf.itests.deploy.service.ParamComponent"/>
              <property name="msf.itests.role" value="param"/>
              <service><provide interface="java.util.function.Supplier"/></service>
            </scr:component>
            """;

    private static final AtomicInteger ACTIVATIONS = new AtomicInteger();
    private volatile String greeting;

    void activate(Map<String, Object> properties) {
        ACTIVATIONS.incrementAndGet();
        modified(properties);
    }

    void modified(Map<String, Object> properties) {
        greeting = String.valueOf(properties.get("greeting"));
    }

    @Override
    public String get() {
        return greeting + "#" + ACTIVATIONS.get();
    }
}

package io.msf.itests.deploy.service;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A Declarative Services component configured by PID {@value #PID} whose {@code limit} parameter
 * must lie in 1..100, a range no Metatype states (the config gate lets 500 through) and the code
 * checks: activate and modified throw for a limit outside it. Offered as a {@code Supplier<String>}
 * that answers {@code limit=<limit>#<activations>}, with the service property {@value #ROLE}.
 *
 * <p>Two descriptions of it: {@link #LIVE} takes a change in its modified method (which throws, and
 * DS keeps the component active with the new configuration and only logs the exception);
 * {@link #RESTARTED} has none, so DS deactivates it and activates it again (which throws, and the
 * component stays down).
 */
public final class BoundedComponent implements Supplier<String> {

    public static final String PID = "msf.itests.bounded";
    public static final String ROLE = "msf.itests.role";

    public static final String LIVE = """
            <?xml version="1.0" encoding="UTF-8"?>
            <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="itest.bounded" immediate="true"
                configuration-pid="msf.itests.bounded" activate="activate" modified="modified">
              <implementation class="io.msf.itests.deploy.service.BoundedComponent"/>
              <property name="msf.itests.role" value="bounded"/>
              <service><provide interface="java.util.function.Supplier"/></service>
            </scr:component>
            """;

    public static final String RESTARTED = """
            <?xml version="1.0" encoding="UTF-8"?>
            <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="itest.bounded.restarted"
                immediate="true" configuration-pid="msf.itests.bounded" activate="activate">
              <implementation class="io.msf.itests.deploy.service.BoundedComponent"/>
              <property name="msf.itests.role" value="bounded"/>
              <service><provide interface="java.util.function.Supplier"/></service>
            </scr:component>
            """;

    private static final AtomicInteger ACTIVATIONS = new AtomicInteger();
    private volatile int limit;

    void activate(Map<String, Object> properties) {
        limit = checked(properties);
        ACTIVATIONS.incrementAndGet();
    }

    void modified(Map<String, Object> properties) {
        limit = checked(properties);
    }

    private static int checked(Map<String, Object> properties) {
        int value = Integer.parseInt(String.valueOf(properties.getOrDefault("limit", "1")));
        if (value < 1 || value > 100) {
            throw new IllegalArgumentException("limit " + value + " is outside 1..100");
        }
        return value;
    }

    @Override
    public String get() {
        return "limit=" + limit + "#" + ACTIVATIONS.get();
    }
}

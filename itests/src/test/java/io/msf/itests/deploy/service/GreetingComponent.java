package io.msf.itests.deploy.service;

import java.util.Map;
import java.util.function.Supplier;

/**
 * A Declarative Services component configured by PID {@value #PID} that has no modified method:
 * any change of its configuration makes DS deactivate it and activate it again, so its service is
 * unregistered and registered anew. Its {@code greeting} parameter is a service property, so a test
 * sees from the service events of each version which parameters it ran with, and when it restarted.
 */
public final class GreetingComponent implements Supplier<String> {

    public static final String PID = "msf.itests.greeting";
    public static final String ROLE = "msf.itests.role";

    public static final String XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="itest.greeting" immediate="true"
                configuration-pid="msf.itests.greeting" activate="activate">
              <implementation class="io.msf.itests.deploy.service.GreetingComponent"/>
              <property name="msf.itests.role" value="greeting"/>
              <service><provide interface="java.util.function.Supplier"/></service>
            </scr:component>
            """;

    private volatile String greeting;

    void activate(Map<String, Object> properties) {
        greeting = String.valueOf(properties.get("greeting"));
    }

    @Override
    public String get() {
        return greeting;
    }
}

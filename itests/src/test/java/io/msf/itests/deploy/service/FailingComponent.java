package io.msf.itests.deploy.service;

/** A Declarative Services component whose activate throws, as a broken new version's would. */
public final class FailingComponent {

    public static final String XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="itest.failing" immediate="true"
                activate="activate">
              <implementation class="io.msf.itests.deploy.service.FailingComponent"/>
            </scr:component>
            """;

    void activate() {
        throw new IllegalStateException("the test made activate throw");
    }
}

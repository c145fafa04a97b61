package io.msf.log.internal.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/** SLF4J's own API, bound through org.slf4j.impl.StaticLoggerBinder, reaching OSGi Loggers. */
class Slf4jBindingTest {

    private final LoggerFactory factory = mock(LoggerFactory.class);
    private final Logger osgi = mock(Logger.class);

    @BeforeEach
    void osgiLoggerAtInfo() {
        when(factory.getLogger(anyString())).thenReturn(osgi);
        when(osgi.isInfoEnabled()).thenReturn(true);
        when(osgi.isWarnEnabled()).thenReturn(true);
        when(osgi.isErrorEnabled()).thenReturn(true);
    }

    @AfterEach
    void detach() {
        Slf4jRouter.instance().detach();
    }

    @Test
    void slf4jFindsThisBindingAndForwardsFormattedMessagesUnderTheSameName() {
        Slf4jRouter.instance().attach(factory);
        org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger("io.netty.channel.Test");

        logger.info("accepted {} from {}", "connection", "127.0.0.1");
        IllegalStateException failure = new IllegalStateException("boom");
        logger.warn("closing {}", "channel", failure);
        logger.error("literal {} braces stay");

        assertThat(logger.getName()).isEqualTo("io.netty.channel.Test");
        verify(factory).getLogger("io.netty.channel.Test");
        verify(osgi).info("accepted connection from 127.0.0.1");
        verify(osgi).warn("closing channel", failure);
        verify(osgi).error("literal {} braces stay");
    }

    @Test
    void belowTheLevelNothingIsFormattedOrForwarded() {
        Slf4jRouter.instance().attach(factory);
        org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger("quiet");
        AtomicInteger formatted = new AtomicInteger();
        Object argument = new Object() {
            @Override
            public String toString() {
                formatted.incrementAndGet();
                return "x";
            }
        };

        logger.debug("value {}", argument);
        logger.trace("value {} {}", argument, argument);

        assertThat(logger.isDebugEnabled()).isFalse();
        assertThat(formatted).hasValue(0);
        verify(osgi, never()).debug(anyString());
        verify(osgi, never()).trace(anyString());
    }

    @Test
    void levelChecksAreKeptUntilTheLevelsChangeAndThenFollowTheNewLevel() {
        Slf4jRouter.instance().attach(factory);
        org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger("io.netty.util.ResourceLeakDetector");

        for (int i = 0; i < 100; i++) {
            assertThat(logger.isErrorEnabled()).isTrue();
            assertThat(logger.isDebugEnabled()).isFalse();
        }
        verify(osgi, times(1)).isErrorEnabled();

        when(osgi.isDebugEnabled()).thenReturn(true);
        Slf4jRouter.instance().levelsChanged();
        assertThat(logger.isDebugEnabled()).isTrue();
        logger.debug("now {}", "visible");
        verify(osgi).debug("now visible");

        when(osgi.isDebugEnabled()).thenReturn(false);
        Slf4jRouter.instance().levelsChanged();
        logger.debug("hidden again");
        assertThat(logger.isDebugEnabled()).isFalse();
        verify(osgi, never()).debug("hidden again");
    }

    @Test
    void recordsBeforeAttachAreHeldAndHandedOverInOrder() {
        ByteArrayOutputStream overflow = new ByteArrayOutputStream();
        Slf4jRouter router = new Slf4jRouter(2, new PrintStream(overflow, true, StandardCharsets.UTF_8));
        org.slf4j.Logger logger = router.getLogger("early");

        logger.info("one");
        logger.debug("detail is not held");
        logger.warn("two {}", 2);
        logger.error("three");
        router.attach(factory);

        InOrder order = inOrder(osgi);
        order.verify(osgi).info("one");
        order.verify(osgi).warn("two 2");
        verify(osgi, never()).debug(anyString());
        verify(osgi, never()).error(anyString());
        assertThat(overflow.toString(StandardCharsets.UTF_8)).contains("ERROR", "early", "three");
    }

    /** Printed as they came, a message's escape sequences drove the terminal of whoever read the output. */
    @Test
    void recordsPastTheHeldOnesArePrintedWithoutControlCharacters() {
        ByteArrayOutputStream overflow = new ByteArrayOutputStream();
        Slf4jRouter router = new Slf4jRouter(0, new PrintStream(overflow, true, StandardCharsets.UTF_8));

        router.getLogger("early").error("peer said \u001b[2J", new IllegalStateException("bad \u001b]0;title\u0007"));

        String printed = overflow.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("peer said \\u001b[2J", "bad \\u001b]0;title\\u0007", "at io.msf.log")
                .doesNotContain("\u001b", "\u0007");
    }

    @Test
    void afterDetachRecordsAreHeldForTheNextAttach() {
        LoggerFactory next = mock(LoggerFactory.class);
        Logger nextOsgi = mock(Logger.class);
        when(next.getLogger(anyString())).thenReturn(nextOsgi);
        when(nextOsgi.isInfoEnabled()).thenReturn(true);
        Slf4jRouter router = new Slf4jRouter(10, System.err);
        org.slf4j.Logger logger = router.getLogger("restart");

        router.attach(factory);
        router.detach();
        logger.info("while the log restarts");
        router.attach(next);

        verify(osgi, never()).info(anyString());
        verify(nextOsgi).info("while the log restarts");
    }
}

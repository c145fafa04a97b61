package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/** What the deployer does once the configurations the container starts with are in. */
class OnceStartedTest {

    private final Bundle framework = mock(Bundle.class);
    private final BundleContext context = mock(BundleContext.class);
    private final FrameworkStartLevel level = mock(FrameworkStartLevel.class);
    private final AtomicInteger runs = new AtomicInteger();

    OnceStartedTest() {
        when(context.getBundle(0L)).thenReturn(framework);
        when(framework.adapt(FrameworkStartLevel.class)).thenReturn(level);
        when(context.getProperty("org.osgi.framework.startlevel.beginning")).thenReturn("5");
        when(level.getStartLevel()).thenReturn(5);
    }

    @Test
    void whileTheFrameworkStartsTheTaskWaitsForItsStartedEventAndRunsOnce() {
        when(framework.getState()).thenReturn(Bundle.STARTING);
        OnceStarted started = new OnceStarted(context, runs::incrementAndGet);
        started.open();
        started.frameworkEvent(new FrameworkEvent(FrameworkEvent.STARTLEVEL_CHANGED, framework, null));
        assertThat(runs).as("a level on the way").hasValue(0);

        when(framework.getState()).thenReturn(Bundle.ACTIVE);
        started.frameworkEvent(new FrameworkEvent(FrameworkEvent.STARTED, framework, null));
        started.frameworkEvent(new FrameworkEvent(FrameworkEvent.STARTED, framework, null));
        assertThat(runs).hasValue(1);
    }

    @Test
    void aFrameworkThatHasStartedRunsTheTaskAtOnce() {
        when(framework.getState()).thenReturn(Bundle.ACTIVE);
        OnceStarted started = new OnceStarted(context, runs::incrementAndGet);
        started.open();
        assertThat(runs).hasValue(1);

        started.frameworkEvent(new FrameworkEvent(FrameworkEvent.STARTED, framework, null));
        assertThat(runs).as("a STARTED that came as it opened").hasValue(1);
    }

    /** A warm spare whose level lets the deployer start: the child's configuration is not read yet. */
    @Test
    void inAWarmSpareTheTaskWaitsForThePromotionsLevel() {
        when(framework.getState()).thenReturn(Bundle.ACTIVE);
        when(context.getProperty("org.osgi.framework.startlevel.beginning")).thenReturn("4");
        when(context.getProperty(OnceStarted.PROMOTED_LEVEL)).thenReturn("5");
        when(level.getStartLevel()).thenReturn(4);
        OnceStarted started = new OnceStarted(context, runs::incrementAndGet);
        started.open();
        started.frameworkEvent(new FrameworkEvent(FrameworkEvent.STARTED, framework, null));
        assertThat(runs).as("the spare started at its level").hasValue(0);

        when(level.getStartLevel()).thenReturn(5);
        started.frameworkEvent(new FrameworkEvent(FrameworkEvent.STARTLEVEL_CHANGED, framework, null));
        assertThat(runs).as("promoted").hasValue(1);
    }
}

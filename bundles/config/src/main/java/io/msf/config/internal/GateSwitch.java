package io.msf.config.internal;

import org.osgi.service.component.annotations.Component;

/**
 * Whether the config gate checks files (its configuration's {@code enabled}), for the write-back,
 * which tells the operator why a {@code .json} file is refused only when the gate would refuse it.
 * Set by {@link ConfigGate}, read by {@link ConfigSaveBack}: a service of this bundle only, so that
 * neither needs the other (the gate is registered under FileInstall's and the api's interfaces,
 * none of which says whether it is enabled).
 */
@Component(service = GateSwitch.class)
public final class GateSwitch {

    /** The gate's default ({@link GateConfiguration#enabled()}) until the gate says otherwise. */
    private volatile boolean enabled = true;

    void set(boolean enabled) {
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }
}

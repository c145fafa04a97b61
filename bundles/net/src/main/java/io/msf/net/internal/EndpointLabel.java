package io.msf.net.internal;

/**
 * How log lines name one open endpoint ({@link EndpointOpener#label}), shared by what logs for it: its
 * pipeline, its connection gate and the handlers they make. A server renamed through its configuration keeps
 * its socket and its connections; its lines follow the new name, the one net:list shows, from then on.
 */
final class EndpointLabel {

    private volatile String text;

    EndpointLabel(String text) {
        this.text = text;
    }

    String get() {
        return text;
    }

    void set(String newText) {
        text = newText;
    }

    @Override
    public String toString() {
        return text;
    }
}

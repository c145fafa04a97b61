package io.msf.config.internal;

/**
 * The {@code min} and {@code max} a Metatype attribute definition states, as written in its XML;
 * null where it states none.
 */
record Bounds(String min, String max) {

    static final Bounds NONE = new Bounds(null, null);
}

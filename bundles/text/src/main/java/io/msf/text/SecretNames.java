package io.msf.text;

import java.util.List;
import java.util.Locale;

/**
 * The names of keys that hold a secret though no Metatype description types them PASSWORD: one with
 * {@code password}, {@code secret} or {@code token} in it, in any case ({@code tlsKeyStorePassword},
 * {@code apiToken}, {@code SECRET_KEY}). Not every bundle describes its keys, and a service's
 * parameters may have no description at all: their names are then all that says a value is not to be
 * repeated. One rule, so that the config gate and the deployer hide the same keys.
 */
public final class SecretNames {

    /** In a key's name, in any case. */
    private static final List<String> SECRET_WORDS = List.of("password", "secret", "token");

    private SecretNames() {
    }

    /** Whether the name of {@code key} says it holds a secret. */
    public static boolean namedAsSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return SECRET_WORDS.stream().anyMatch(lower::contains);
    }
}

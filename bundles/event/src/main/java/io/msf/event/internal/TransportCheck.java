package io.msf.event.internal;

import java.util.Map;
import java.util.function.BiFunction;

/**
 * The check of {@code transport} that the config gate makes of an {@code etc/msf.event.cfg} file before
 * it applies it (named by this bundle's {@code Msf-Config-Check} header), with the choice the event
 * loops make themselves ({@link TransportChoice#select}): they read the word in any case, where
 * Metatype options, matched exactly, refused {@code transport = NIO}; and {@code epoll} where Netty's
 * epoll does not load, which the loops refuse, is refused here too, naming file and line.
 */
public final class TransportCheck implements BiFunction<String, Map<String, Object>, Map<String, String>> {

    private static final String KEY = "transport";

    @Override
    public Map<String, String> apply(String pid, Map<String, Object> values) {
        // a value of another type is the gate's Metatype check's to tell
        if (values.get(KEY) instanceof String transport) {
            try {
                TransportChoice.select(transport);
            } catch (IllegalArgumentException | IllegalStateException e) {
                // the gate names the key and its line: the message without "transport: " or "transport=epoll: "
                String message = e.getMessage();
                int colon = message.indexOf(": ");
                return Map.of(KEY, message.startsWith(KEY) && colon > 0 ? message.substring(colon + 2) : message);
            }
        }
        return Map.of();
    }
}

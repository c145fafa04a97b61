package io.msf.agent.internal.broker;

import io.msf.client.api.MessageHandler;
import io.msf.protocol.api.Topic;
import java.math.BigDecimal;
import java.util.Map;
import org.osgi.framework.Constants;

/**
 * What a {@link MessageHandler} service's properties say: the id and name it answers to, and how
 * it ranks against other handlers with the same id or name.
 *
 * @param id the claimed id, 1 to 0x7FFFFFFF; 0: none (the agent assigns one for replies' source)
 * @param name the claimed name; empty: none
 * @param ranking {@code service.ranking}, 0 when absent
 * @param serviceId {@code service.id}, which breaks ties of ranking (the lower wins)
 * @param bundleId {@code service.bundleid}, the bundle that registered it (-1 when unknown): the
 *     deployer holds and releases a version's handlers by bundle ({@code RouteControl})
 */
public record HandlerProperties(int id, String name, int ranking, long serviceId, long bundleId) {

    /** A handler whose bundle does not matter (tests, handlers added from code). */
    public HandlerProperties(int id, String name, int ranking, long serviceId) {
        this(id, name, ranking, serviceId, -1);
    }

    /**
     * @throws IllegalArgumentException naming the property that is wrong, or saying that neither
     *     {@link MessageHandler#NAME} nor {@link MessageHandler#ID} is set
     */
    public static HandlerProperties of(Map<String, ?> properties) {
        int id = id(properties.get(MessageHandler.ID));
        String name = name(properties.get(MessageHandler.NAME));
        if (id == 0 && name.isEmpty()) {
            throw new IllegalArgumentException("neither " + MessageHandler.NAME + " nor " + MessageHandler.ID
                    + " is set, so nothing can address the handler");
        }
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        Object serviceId = properties.get(Constants.SERVICE_ID);
        Object bundleId = properties.get(Constants.SERVICE_BUNDLEID);
        return new HandlerProperties(id, name, ranking instanceof Integer ? (Integer) ranking : 0,
                serviceId instanceof Number ? ((Number) serviceId).longValue() : 0,
                bundleId instanceof Number ? ((Number) bundleId).longValue() : -1);
    }

    private static int id(Object value) {
        if (value == null) {
            return 0;
        }
        long id;
        if (value instanceof Number) {
            id = whole((Number) value);
        } else if (value instanceof String) {
            try {
                id = Long.parseLong(((String) value).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(MessageHandler.ID + " '" + value + "' is not a number");
            }
        } else {
            throw new IllegalArgumentException(MessageHandler.ID + " must be an Integer, a Long or a String, not a "
                    + value.getClass().getName());
        }
        if (id < 1 || id > Integer.MAX_VALUE) {
            throw outsideTheRange(id);
        }
        return (int) id;
    }

    /**
     * The id a number other than an Integer, Long, Short or Byte gives exactly: {@code longValue()} would take a
     * Double 1.9 as id 1, and a BigInteger past the long range as its low bits.
     */
    private static long whole(Number value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return value.longValue();
        }
        BigDecimal exact;
        try {
            exact = new BigDecimal(value.toString());
        } catch (NumberFormatException e) {
            throw notWhole(value); // NaN, an infinity, a Number of its own that prints no number
        }
        if (exact.signum() != 0 && exact.stripTrailingZeros().scale() > 0) {
            throw notWhole(value);
        }
        try {
            return exact.longValueExact();
        } catch (ArithmeticException e) {
            throw outsideTheRange(value);
        }
    }

    private static IllegalArgumentException notWhole(Number value) {
        return new IllegalArgumentException(MessageHandler.ID + " " + value + " (a " + value.getClass().getName()
                + ") is not a whole number in 1..2147483647");
    }

    private static IllegalArgumentException outsideTheRange(Object id) {
        return new IllegalArgumentException(MessageHandler.ID + " " + id + " is outside 1..2147483647"
                + " (ids from 2147483648 up are assigned by the agent)");
    }

    private static String name(Object value) {
        if (value == null) {
            return "";
        }
        if (!(value instanceof String)) {
            throw new IllegalArgumentException(MessageHandler.NAME + " must be a String, not a "
                    + value.getClass().getName());
        }
        try {
            return Topic.checkName((String) value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(MessageHandler.NAME + ": " + e.getMessage(), e);
        }
    }
}

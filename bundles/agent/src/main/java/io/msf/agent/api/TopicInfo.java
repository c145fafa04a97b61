package io.msf.agent.api;

import java.util.List;

/**
 * One subscription pattern and who holds it.
 *
 * @param pattern the pattern as subscribed
 * @param subscribers the subscribers' names, or {@code #id} for those without one
 * @param delivered publications delivered through this pattern
 */
public record TopicInfo(String pattern, List<String> subscribers, long delivered) {
}

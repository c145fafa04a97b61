package io.msf.agent.api;

import java.util.List;

/**
 * One subscription pattern and who holds it.
 *
 * @param pattern the pattern as subscribed
 * @param subscribers the subscribers' names, or {@code #id} for those without one
 * @param delivered publications that matched this pattern and were handed on to its subscribers,
 *     whether or not each could take them: one a subscriber missed (over its frame limit, its
 *     connection being cut off, its in-container listener past the high-water mark) counts too
 */
public record TopicInfo(String pattern, List<String> subscribers, long delivered) {
}

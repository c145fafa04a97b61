package io.msf.log.api;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/** The container log as operators see it: recent records and the levels in force. */
@ProviderType
public interface LogConsole {

    /**
     * The last {@code count} records that were logged (each bundle at its own level), oldest first;
     * at most the configured {@code tailSize}.
     */
    List<LogLine> tail(int count);

    /**
     * How many records are kept for {@link #tail}: the configured {@code tailSize}; 0 if none are
     * kept, so that an empty tail can be told apart from a quiet log.
     *
     * @since 1.1
     */
    int tailSize();

    /** The level in force for each bundle that has its own, plus {@code ROOT}. */
    Map<String, String> levels();

    /**
     * Sets the level of one bundle (by symbolic name) or of {@code ROOT}, persisted through
     * Config Admin so that it survives a restart.
     *
     * @param level one of TRACE, DEBUG, INFO, WARN, ERROR, OFF (any case)
     * @throws IllegalArgumentException if the level is not one of those
     */
    void setLevel(String bundle, String level);

    /**
     * Removes the level of one bundle (by symbolic name), which then logs at the root level again,
     * persisted through Config Admin as {@link #setLevel} is; nothing changes if it has none of its own.
     *
     * @return whether the bundle had a level of its own
     * @throws IllegalArgumentException for {@code ROOT}, whose level can only be set
     * @since 1.2
     */
    boolean removeLevel(String bundle);
}

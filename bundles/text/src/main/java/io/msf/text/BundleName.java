package io.msf.text;

/**
 * The name a bundle goes by in the figures, listings and messages of every msf service: its symbolic
 * name, or {@code bundle#<id>} for a bundle without one (a legacy manifest, which Felix accepts). One
 * rule for all, so that a monitor joining the figures of the event loops, the timers, the memory pool
 * and the log by bundle sees one name; and a name no bundle can have, since a symbolic name holds no
 * {@code #}, so that it never passes for another bundle's.
 */
public final class BundleName {

    private BundleName() {
    }

    /**
     * @param symbolicName the bundle's symbolic name ({@code Bundle.getSymbolicName()}), null if it has none
     * @param bundleId the bundle's id
     */
    public static String of(String symbolicName, long bundleId) {
        return symbolicName != null ? symbolicName : "bundle#" + bundleId;
    }
}

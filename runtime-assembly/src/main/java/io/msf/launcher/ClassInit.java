package io.msf.launcher;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Static set-up of bundle classes named in a launcher property ({@code msf.init.classes},
 * {@code msf.spare.init}): entries {@code <bundle symbolic name>/<class>}, comma-separated, each
 * initialised through its bundle's class loader, as the bundle itself would. An entry that cannot
 * be initialised is reported and skipped: whoever needs the class later pays for its set-up then.
 */
final class ClassInit {

    /** One entry of such a property. */
    record Entry(String bundle, String className) {
        @Override
        public String toString() {
            return bundle + "/" + className;
        }
    }

    private ClassInit() {
    }

    /** The entries of {@code value}; one without a slash is reported and left out. */
    static List<Entry> parse(String property, String value, PrintStream problems) {
        List<Entry> entries = new ArrayList<>();
        for (String part : value.split(",")) {
            String item = part.trim();
            int slash = item.indexOf('/');
            if (item.isEmpty()) {
                continue;
            }
            if (slash <= 0 || slash == item.length() - 1) {
                problems.println("msf: " + property + ": '" + item + "' names no resolved bundle (<symbolic name>/<class>)");
                continue;
            }
            entries.add(new Entry(item.substring(0, slash), item.substring(slash + 1)));
        }
        return entries;
    }

    /**
     * Initialises {@code entry}'s class in {@code bundle} (null: none of that name was found).
     *
     * @return whether it is initialised
     */
    static boolean initialise(Bundle bundle, Entry entry, String property, PrintStream problems) {
        BundleWiring wiring = bundle == null ? null : bundle.adapt(BundleWiring.class);
        ClassLoader loader = wiring == null ? null : wiring.getClassLoader();
        if (loader == null) {
            problems.println("msf: " + property + ": '" + entry + "' names no resolved bundle (<symbolic name>/<class>)");
            return false;
        }
        try {
            Class.forName(entry.className(), true, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            problems.println("msf: " + property + ": cannot initialise '" + entry + "': " + e);
            return false;
        }
    }
}

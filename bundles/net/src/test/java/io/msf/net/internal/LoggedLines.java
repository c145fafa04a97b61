package io.msf.net.internal;

import static org.mockito.Mockito.mockingDetails;

import java.util.ArrayList;
import java.util.List;
import org.mockito.invocation.Invocation;
import org.osgi.service.log.Logger;

/** The lines a mocked {@link Logger} was given at one level, with their {@code {}} filled in as the log would. */
final class LoggedLines {

    private LoggedLines() {
    }

    /** @param level the Logger method: info, warn, error, ... */
    static List<String> of(Logger log, String level) {
        List<String> lines = new ArrayList<>();
        for (Invocation invocation : mockingDetails(log).getInvocations()) {
            if (!invocation.getMethod().getName().equals(level) || invocation.getArguments().length == 0
                    || !(invocation.getArguments()[0] instanceof String)) {
                continue;
            }
            Object[] arguments = invocation.getArguments();
            StringBuilder line = new StringBuilder((String) arguments[0]);
            for (int i = 1; i < arguments.length; i++) {
                int at = line.indexOf("{}");
                if (at < 0) {
                    break;
                }
                line.replace(at, at + 2, String.valueOf(arguments[i]));
            }
            lines.add(line.toString());
        }
        return lines;
    }
}

package io.msf.shell.internal.console;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "msf console",
        description = "The remote console: a Unix domain socket, owner-only, on which bin/msf runs Gogo commands "
                + "in the running container.")
@interface ConsoleConfiguration {

    @AttributeDefinition(name = "Enabled",
            description = "Listen on the console socket. Without it bin/msf exec and bin/msf console cannot attach.")
    boolean enabled() default true;

    @AttributeDefinition(name = "Socket",
            description = "The socket file. A relative path is resolved against the msf.data directory; the file "
                    + "gets mode 0600 and its directory must be owner-only and belong to the user running the container "
                    + "(msf.data is made 0700). The full path may have at most 106 bytes on Linux (102 on macOS), "
                    + "what the JDK binds a Unix socket at. While the console listens, "
                    + "<msf.data>/msf.sock.path holds its absolute path, where bin/msf finds it.")
    String socket() default "msf.sock";

    @AttributeDefinition(name = "Max clients", min = "1", max = "64",
            description = "Clients connected at the same time; one more is told so and disconnected.")
    int maxClients() default 8;

    @AttributeDefinition(name = "Max line bytes", min = "256", max = "1048576",
            description = "Largest command or console line accepted, in bytes (UTF-8). A longer frame gets an error "
                    + "and its connection is closed.")
    int maxLineBytes() default 65536;

    @AttributeDefinition(name = "Output timeout (ms)", min = "1000", max = "600000",
            description = "How long a client may leave the output of its command unread before its connection is "
                    + "closed: the command is interrupted, its session closed and the slot freed, instead of the "
                    + "command waiting for ever to write. A client that takes in less than the socket holds (about "
                    + "200 KB) in that time counts as not reading: a script that stopped reading, a pager on long "
                    + "output. Long by default (5 minutes): a pager's user may read slowly.")
    int outputTimeoutMillis() default 300000;

    @AttributeDefinition(name = "Max nested commands", min = "10", max = "10000",
            description = "Nested commands under way (closures calling closures, loops in loops, command "
                    + "substitutions) that the command lines running on the console may have, all clients together; "
                    + "each holds about 50 KB of heap and a thread or two until it ends. One more is refused, which "
                    + "ends the line starting it with an error, so that a closure calling itself cannot run the "
                    + "container out of memory or threads. The rounds of a loop that are over do not count: they are "
                    + "freed as they end. The local console of bin/msf run has the same bound, counted on its own. "
                    + "At most 10000: that is up to 20000 threads, near the system's limit on many machines, where "
                    + "a thread that cannot be made fails whatever part of the container asked for it.")
    int maxNestedCommands() default 1000;
}

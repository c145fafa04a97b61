package io.msf.shell.internal.command;

import io.msf.config.api.ConfigProblem;
import io.msf.text.Table;
import io.msf.text.Units;
import java.util.List;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code config:rejected}: the configuration files the gate turned away, and why.
 *
 * <p>A command of its own rather than lines in {@code msf:services}: reasons are sentences
 * that do not fit a one-line summary, and a script can run this alone to see what to fix.
 */
@Component(service = ConfigCommands.class, property = {
    CommandProcessor.COMMAND_SCOPE + "=config",
    CommandProcessor.COMMAND_FUNCTION + "=rejected"})
public final class ConfigCommands {

    private final CoreServices services;

    @Activate
    public ConfigCommands(@Reference CoreServices services) {
        this.services = services;
    }

    @Descriptor("list the configuration files whose last version was rejected (the one before stays in force), "
            + "with file:line, key and reason")
    public String rejected() {
        List<ConfigProblem> problems = services.requireConfigGate().rejected();
        if (problems.isEmpty()) {
            return "No rejected configuration files.\n";
        }
        Table table = Table.withHeader().left("FILE:LINE").left("PID").left("KEY").left("REJECTED AT")
                .left("REASON");
        problems.forEach(p -> table.row(p.file() + (p.line() > 0 ? ":" + p.line() : ""), p.pid(),
                p.key().isEmpty() ? "(file)" : p.key(), Units.time(p.at()), p.reason()));
        return table.render();
    }
}

package io.msf.shell.internal.command;

import io.msf.net.api.EndpointInfo;
import io.msf.text.Table;
import io.msf.text.Units;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code net:list}: every endpoint with its state and traffic. */
@Component(service = NetCommands.class, property = {
    CommandProcessor.COMMAND_SCOPE + "=net",
    CommandProcessor.COMMAND_FUNCTION + "=list"})
public final class NetCommands {

    private static final int ERROR_WIDTH = 60;
    /**
     * By owner, then name. Either may be null: a bundle without a Bundle-SymbolicName (OSGi R3)
     * owns its endpoints under a null name, and one such endpoint must not make the listing fail.
     */
    private static final Comparator<EndpointInfo> BY_OWNER_AND_NAME = Comparator
            .comparing(EndpointInfo::owner, Comparator.nullsLast(Comparator.<String>naturalOrder()))
            .thenComparing(EndpointInfo::name, Comparator.nullsLast(Comparator.<String>naturalOrder()));

    private final CoreServices services;

    @Activate
    public NetCommands(@Reference CoreServices services) {
        this.services = services;
    }

    @Descriptor("list every endpoint (from code and from configuration) with its state, connections, "
            + "traffic and last error")
    public String list() {
        List<EndpointInfo> endpoints = services.requireNetwork().endpoints().stream()
                .sorted(BY_OWNER_AND_NAME)
                .collect(Collectors.toList());
        if (endpoints.isEmpty()) {
            return "No endpoints.\n";
        }
        Table table = Table.withHeader().left("NAME").left("OWNER").left("TRANSPORT").left("ADDRESS")
                .left("STATE").right("CONNS").right("IN").right("OUT").right("FRAMES IN").right("ERRORS")
                .column("LAST ERROR", Table.Align.LEFT, ERROR_WIDTH);
        endpoints.forEach(e -> table.row(e.name(), e.owner(), e.transport(), e.address(), e.state(), e.connections(),
                Units.bytes(e.bytesIn()), Units.bytes(e.bytesOut()), e.framesIn(), e.errors(), e.lastError()));
        return table.render();
    }
}

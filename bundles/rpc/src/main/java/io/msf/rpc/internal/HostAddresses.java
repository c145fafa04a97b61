package io.msf.rpc.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Writes {@link InetAddress} and {@link InetSocketAddress} values as their IP addresses. Jackson
 * writes an address by its host name when it has one (an address made with
 * {@code InetAddress.getByName("dlna-box")}), but reads an InetAddress from an IP literal only, and
 * every socket address unresolved, so that a payload cannot have the reading side look a name up in
 * DNS: such an InetAddress failed the call, and a socket address arrived as a name to look up though
 * the caller had its address.
 */
final class HostAddresses {

    static final SimpleModule MODULE = module();

    private HostAddresses() {
    }

    private static SimpleModule module() {
        SimpleModule module = new SimpleModule("msf-rpc-host-addresses");
        // the superclass's: found for Inet4Address and Inet6Address values too
        module.addSerializer(InetAddress.class, new JsonSerializer<>() {
            @Override
            public void serialize(InetAddress address, JsonGenerator out, SerializerProvider provider)
                    throws IOException {
                out.writeString(address.getHostAddress());
            }
        });
        module.addSerializer(InetSocketAddress.class, new JsonSerializer<>() {
            @Override
            public void serialize(InetSocketAddress address, JsonGenerator out, SerializerProvider provider)
                    throws IOException {
                out.writeString(host(address) + ":" + address.getPort());
            }
        });
        return module;
    }

    /** The IP address, in brackets for IPv6 as Jackson reads it; an unresolved address's name. */
    private static String host(InetSocketAddress address) {
        InetAddress resolved = address.getAddress();
        if (resolved == null) {
            return address.getHostString();
        }
        return resolved instanceof Inet6Address ? "[" + resolved.getHostAddress() + "]" : resolved.getHostAddress();
    }
}

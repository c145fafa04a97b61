package io.msf.net.api;

/** How an endpoint talks. */
public enum NetTransport {
    TCP_SERVER,
    TCP_CLIENT,
    UDP,
    UDS_SERVER,
    UDS_CLIENT;

    public boolean isServer() {
        return this == TCP_SERVER || this == UDS_SERVER;
    }

    public boolean isDomainSocket() {
        return this == UDS_SERVER || this == UDS_CLIENT;
    }
}

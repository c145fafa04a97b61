package io.msf.net.api;

/**
 * Figures of one endpoint at one moment.
 *
 * @param name the endpoint's name
 * @param owner symbolic name of the owning bundle
 * @param transport how it talks
 * @param address the bound or connected address, or the configured one while not open
 * @param state {@code OPEN}, {@code CLOSED}, {@code WAITING} (for its handler), {@code FAILED}, or for a
 *     configured client that keeps connecting {@code CONNECTING} (not connected yet) or
 *     {@code RECONNECTING} (its connection was lost; the last error says how many attempts failed)
 * @param connections open connections (servers), 1 or 0 otherwise
 * @param bytesIn bytes read so far
 * @param bytesOut bytes written so far
 * @param framesIn inbound frames (or datagrams) so far
 * @param errors errors so far (bad frames, exceptions in handlers)
 * @param lastError the last error's message, or the empty string; for a configured endpoint FAILED, why
 *     it does not serve as of now
 */
public record EndpointInfo(String name, String owner, NetTransport transport, String address, String state,
        int connections, long bytesIn, long bytesOut, long framesIn, long errors, String lastError) {
}

/**
 * The agent protocol as Netty pipeline stages: a bounded frame decoder, an encoder that respects
 * the peer's frame limit and batches the frames written between two flushes, and the handler that
 * answers a malformed stream with an ERROR frame and closes it. The agent and the client library
 * both put {@link io.msf.protocol.codec.AgentCodec} on their channels.
 *
 * <p>2.0.0: the encoder is a plain outbound handler (no longer a MessageToMessageEncoder), as it
 * keeps a batch between writes. 2.1.0: {@code FrameDecoder.stampSource}, so that a session's frames
 * arrive with the id the agent granted as their source. 2.2.0: {@code FrameDecoder.agreedVersion} and
 * {@code FrameEncoder.agreedVersion}, so that a connection's frames carry the version its HELLOs
 * agreed on, and a frame of another version is refused. 2.3.0: {@code MalformedFrameHandler.closeWith},
 * so that every end for a breach of the protocol closes after the same grace. 2.4.0:
 * {@code MalformedFrameHandler.closeWith(Channel, Message)}, so that code holding a channel ends
 * it the same way; a connection is told why it ends once. 2.5.0: {@code Payloads}, so that a payload
 * that waits in a queue keeps no much larger read buffer alive.
 */
@Export
@Version("2.5.0")
package io.msf.protocol.codec;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

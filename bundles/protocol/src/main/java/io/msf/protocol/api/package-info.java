/**
 * The agent protocol as Java values: message types, error codes, the {@link io.msf.protocol.api.Message}
 * frame model with its Netty payload, the HELLO body and topic matching. The byte layout is specified in
 * {@code docs/protocol.md}.
 *
 * <p>1.1.0: {@code ErrorCode.handlerMayAnswer}, the one rule of which codes a handler's failure
 * passes on, for the agent and the client library alike.
 *
 * <p>1.2.0: {@code HandlerFailure}, the code and the words of a handler's failure as its requester
 * gets them, built in one place for the agent and the client library alike.
 *
 * <p>1.3.0: {@code Message}'s constructor and factories refuse a subject with half a surrogate pair
 * alone ({@code IllegalArgumentException}), which the encoder wrote as another subject or as bytes that
 * are no UTF-8. No signature changed, but the contract did, and the agent and the client library count
 * on it to keep such a subject off the wire: built against 1.3.0 they import {@code [1.3,2)} and do not
 * resolve against a 1.2 bundle that lets it through.
 *
 * <p>1.4.0: {@code Topic.checkName}, a topic's rules for a peer's name, with errors that speak of a
 * peer name rather than of a topic.
 */
@Export
@Version("1.4.0")
package io.msf.protocol.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

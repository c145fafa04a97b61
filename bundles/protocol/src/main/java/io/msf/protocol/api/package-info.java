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
 */
@Export
@Version("1.2.0")
package io.msf.protocol.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

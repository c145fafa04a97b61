package io.msf.dlna.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * How to talk to the demo service {@code dlna}. Its state is a short UTF-8 text (at first
 * {@value #INITIAL_STATE}); payloads are that text, so the shell can talk to it too:
 * {@code agent:send dlna 1 ""} asks for the state, {@code agent:send dlna 2 "paused"} sets it.
 */
public final class Dlna {

    /** The name dlna's handler answers to. */
    public static final String NAME = "dlna";

    /** The id dlna's handler answers to. */
    public static final int ID = 1001;

    /** REQUEST, empty payload: the reply is the state. */
    public static final int GET = 1;

    /**
     * REQUEST, payload the new state (1 to {@value #MAX_STATE_BYTES} bytes of UTF-8; other payloads are
     * refused with REMOTE_ERROR, saying why, and the state kept): the reply is the state before. A change is announced once to {@code upnp} (NOTIFY {@link #STATE_CHANGED}) and once
     * on {@link #STATE_TOPIC}; setting the same state again announces nothing.
     */
    public static final int SET = 2;

    /**
     * The command of the NOTIFY and of the publication announcing a new state (payload: the state, as SET
     * takes it); upnp drops one whose payload could not be a state (a WARN naming the peer the first time,
     * DEBUG after).
     */
    public static final int STATE_CHANGED = 3;

    /** Where dlna publishes each new state. */
    public static final String STATE_TOPIC = "dlna.state.changed";

    /** The name dlna's {@link MediaLibrary} answers to (RPC, see io.msf.rpc.api.Rpc). */
    public static final String LIBRARY = "dlna.library";

    /** The state until the first SET. */
    public static final String INITIAL_STATE = "idle";

    /** The longest state, in UTF-8 bytes. */
    public static final int MAX_STATE_BYTES = 256;

    /**
     * Whether {@code payload}'s readable bytes could be a state: 1 to {@value #MAX_STATE_BYTES} bytes of
     * UTF-8 text, what SET takes. The one bound for dlna and for whoever reads its states (upnp takes a
     * NOTIFY, a publication or a reply as dlna's state only if it is one). The buffer's indexes are left as
     * they are.
     *
     * @since 1.1
     */
    public static boolean isState(ByteBuf payload) {
        int bytes = payload.readableBytes();
        return bytes > 0 && bytes <= MAX_STATE_BYTES && ByteBufUtil.isText(payload, StandardCharsets.UTF_8);
    }

    private Dlna() {
    }
}

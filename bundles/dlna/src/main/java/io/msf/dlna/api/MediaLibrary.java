package io.msf.dlna.api;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * dlna's media library, served over RPC under the name {@link Dlna#LIBRARY}:
 * {@code Rpc.proxy(client, Address.name(Dlna.LIBRARY), MediaLibrary.class, timeout)}.
 */
@ProviderType
public interface MediaLibrary {

    /** Every track, by number. */
    List<Track> tracks();

    /**
     * The track with this number; fails with {@link java.util.NoSuchElementException} (remotely: an
     * {@code io.msf.rpc.api.RemoteInvocationException} naming it) if there is none.
     */
    CompletionStage<Track> track(int number);
}

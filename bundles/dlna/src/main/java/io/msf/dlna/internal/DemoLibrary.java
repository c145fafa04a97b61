package io.msf.dlna.internal;

import io.msf.dlna.api.MediaLibrary;
import io.msf.dlna.api.Track;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A fixed, in-memory library: enough to show records, lists and a remote exception over RPC. */
final class DemoLibrary implements MediaLibrary {

    static final List<Track> TRACKS = List.of(
            new Track(1, "So What", "Miles Davis", 562),
            new Track(2, "Blue in Green", "Miles Davis", 337),
            new Track(3, "Giant Steps", "John Coltrane", 286),
            new Track(4, "Take Five", "The Dave Brubeck Quartet", 324));

    @Override
    public List<Track> tracks() {
        return TRACKS;
    }

    @Override
    public CompletionStage<Track> track(int number) {
        if (number < 1 || number > TRACKS.size()) {
            return CompletableFuture.failedFuture(new NoSuchElementException(
                    "no track " + number + " (the library has 1 to " + TRACKS.size() + ")"));
        }
        return CompletableFuture.completedFuture(TRACKS.get(number - 1));
    }
}

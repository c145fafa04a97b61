package io.msf.rpc.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** The implementation behind the handler in the RPC tests. */
final class InMemoryLibrary implements Library {

    static final List<Track> TRACKS = List.of(
            new Track(1, "So What", "Miles Davis", 562),
            new Track(2, "Blue in Green", "Miles Davis", 337),
            new Track(3, "Blue Train", "John Coltrane", 643));

    private final List<Track> tracks = new CopyOnWriteArrayList<>(TRACKS);

    @Override
    public List<Track> tracks() {
        return new ArrayList<>(tracks);
    }

    @Override
    public Track track(int number) {
        return tracks.stream().filter(t -> t.number() == number).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no track " + number));
    }

    @Override
    public Track byTitle(String title) {
        return tracks.stream().filter(t -> t.title().equals(title)).findFirst().orElse(null);
    }

    @Override
    public CompletionStage<List<Track>> search(String text) {
        if (text == null || text.isBlank()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("search text is blank"));
        }
        String wanted = text.toLowerCase(Locale.ROOT);
        return CompletableFuture.completedFuture(
                tracks.stream().filter(t -> t.title().toLowerCase(Locale.ROOT).contains(wanted)).toList());
    }

    @Override
    public CompletableFuture<Integer> count() {
        return CompletableFuture.completedFuture(tracks.size());
    }

    @Override
    public String describe(Track track, Format format, Map<String, List<Integer>> tags) {
        return track + "/" + format + "/" + tags;
    }

    @Override
    public long add(int a, long b) {
        return a + b;
    }

    @Override
    public byte[] reversed(byte[] data) {
        byte[] out = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = data[data.length - 1 - i];
        }
        return out;
    }

    @Override
    public void clear() {
        tracks.clear();
    }
}

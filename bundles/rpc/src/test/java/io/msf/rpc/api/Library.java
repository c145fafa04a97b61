package io.msf.rpc.api;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The interface the RPC tests call: records, collections, nulls, sync and async, failures. */
public interface Library {

    record Track(int number, String title, String artist, int seconds) {
    }

    enum Format { MP3, FLAC }

    List<Track> tracks();

    /** @throws java.util.NoSuchElementException for an unknown number */
    Track track(int number);

    /** Null when no track has this title. */
    Track byTitle(String title);

    /** Asynchronous; fails with IllegalArgumentException for blank text. */
    CompletionStage<List<Track>> search(String text);

    CompletableFuture<Integer> count();

    /** Mixed parameters, each may be null. */
    String describe(Track track, Format format, Map<String, List<Integer>> tags);

    long add(int a, long b);

    byte[] reversed(byte[] data);

    void clear();

    /** Runs in the proxy: one remote call. */
    default int trackCount() {
        return tracks().size();
    }
}

package io.msf.dlna.api;

/**
 * One track of the {@link MediaLibrary}.
 *
 * @param number its number in the library, from 1
 * @param title its title
 * @param artist who plays it
 * @param seconds how long it plays
 */
public record Track(int number, String title, String artist, int seconds) {
}

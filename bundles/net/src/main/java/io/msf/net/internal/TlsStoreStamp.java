package io.msf.net.internal;

import io.msf.net.api.TlsSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * How a TLS endpoint's key and trust store files look on disk: for each, when it was last modified, its size
 * and its identity (the inode on Linux). A replaced store differs in one of them, whether it was written in
 * place, moved over the old one (certbot, a rename) or is a new target of a symbolic link (a Kubernetes
 * secret, as cert-manager fills it). Links are followed: what counts is the file the store is read from.
 */
record TlsStoreStamp(List<File> files) {

    /** One store's file; a file that cannot be seen (missing, unreadable folder) has only its path and why. */
    record File(Path path, Object modified, long size, Object identity) { }

    static TlsStoreStamp of(TlsSpec tls) {
        List<File> files = new ArrayList<>(2);
        for (Path store : new Path[] {tls.keyStore(), tls.trustStore()}) {
            if (store != null) {
                files.add(file(store));
            }
        }
        return new TlsStoreStamp(List.copyOf(files));
    }

    /** The paths of the stores that differ from {@code before}, for a log line. */
    List<Path> changedSince(TlsStoreStamp before) {
        List<Path> changed = new ArrayList<>(2);
        for (File file : files) {
            if (!before.files.contains(file)) {
                changed.add(file.path());
            }
        }
        return changed;
    }

    private static File file(Path store) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(store, BasicFileAttributes.class);
            return new File(store, attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
        } catch (IOException | SecurityException e) {
            return new File(store, e.getClass().getName(), -1, null);
        }
    }
}

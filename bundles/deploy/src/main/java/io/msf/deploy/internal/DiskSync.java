package io.msf.deploy.internal;

import io.msf.files.FolderSync;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Forces a folder's entries to the disk after a rename in it ({@link FolderSync#sync}). A parameter of
 * the writers, so that a test can give one that fails: no file system here refuses it.
 */
@FunctionalInterface
interface DiskSync {

    DiskSync FOLDER = FolderSync::sync;

    void sync(Path folder) throws IOException;
}

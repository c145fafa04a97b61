package io.msf.files;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default file system, with one thing added: a file named by {@link #removeAfterFirstLook} is
 * deleted right after its attributes are first read, as another container starting on the same folder
 * may delete it. That makes the race of two containers cleaning one folder happen every time, at the
 * one step where the code under test may be caught by it, with no hook in that code.
 */
final class RacingFileSystem extends FileSystem {

    private final FileSystem real = Path.of("").getFileSystem();
    private final Provider provider = new Provider();
    private final Set<Path> removeAfterFirstLook = ConcurrentHashMap.newKeySet();
    private final Set<Path> failListing = ConcurrentHashMap.newKeySet();

    /** {@code real} on this file system. */
    Path path(Path real) {
        return new RacingPath(this, real);
    }

    /** Has another container remove {@code file} (on this file system) as soon as its attributes are read. */
    void removeAfterFirstLook(Path file) {
        removeAfterFirstLook.add(unwrap(file));
    }

    /**
     * Has the listing of {@code dir} (on this file system) fail once it has begun, as the JDK tells a
     * failed read of a folder's entries (an I/O error, a stale NFS handle): a DirectoryIteratorException.
     */
    void failListingOf(Path dir) {
        failListing.add(unwrap(dir));
    }

    private static Path unwrap(Path path) {
        return ((RacingPath) path).real;
    }

    private final class Provider extends FileSystemProvider {

        @Override
        public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
                throws IOException {
            A attributes = Files.readAttributes(unwrap(path), type, options);
            if (removeAfterFirstLook.remove(unwrap(path))) {
                Files.delete(unwrap(path));
            }
            return attributes;
        }

        @Override
        public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
                throws IOException {
            DirectoryStream<Path> listing = Files.newDirectoryStream(unwrap(dir), p -> filter.accept(path(p)));
            boolean fails = failListing.contains(unwrap(dir));
            return new DirectoryStream<>() {
                @Override
                public Iterator<Path> iterator() {
                    Iterator<Path> names = listing.iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            if (fails) {
                                throw new DirectoryIteratorException(new IOException(dir + ": Input/output error"));
                            }
                            return names.hasNext();
                        }

                        @Override
                        public Path next() {
                            return path(names.next());
                        }
                    };
                }

                @Override
                public void close() throws IOException {
                    listing.close();
                }
            };
        }

        @Override
        public void delete(Path path) throws IOException {
            Files.delete(unwrap(path));
        }

        @Override
        public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
                throws IOException {
            return Files.readAttributes(unwrap(path), attributes, options);
        }

        @Override
        public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
            return Files.getFileAttributeView(unwrap(path), type, options);
        }

        @Override
        public void checkAccess(Path path, AccessMode... modes) throws IOException {
            real.provider().checkAccess(unwrap(path), modes);
        }

        @Override
        public String getScheme() {
            return "racing";
        }

        // what StaleFiles does not do

        @Override
        public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileSystem getFileSystem(URI uri) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Path getPath(URI uri) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
                FileAttribute<?>... attrs) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void createDirectory(Path dir, FileAttribute<?>... attrs) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void copy(Path source, Path target, CopyOption... options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void move(Path source, Path target, CopyOption... options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isSameFile(Path path, Path path2) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isHidden(Path path) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileStore getFileStore(Path path) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
            throw new UnsupportedOperationException();
        }
    }

    @Override
    public FileSystemProvider provider() {
        return provider;
    }

    @Override
    public Path getPath(String first, String... more) {
        return path(real.getPath(first, more));
    }

    @Override
    public String getSeparator() {
        return real.getSeparator();
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return real.supportedFileAttributeViews();
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        throw new UnsupportedOperationException();
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException();
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException();
    }

    /** A path of the default file system, answering to {@link RacingFileSystem}. */
    private record RacingPath(RacingFileSystem fileSystem, Path real) implements Path {

        private Path on(Path path) {
            return path == null ? null : fileSystem.path(path);
        }

        @Override
        public FileSystem getFileSystem() {
            return fileSystem;
        }

        @Override
        public boolean isAbsolute() {
            return real.isAbsolute();
        }

        @Override
        public Path getRoot() {
            return on(real.getRoot());
        }

        @Override
        public Path getFileName() {
            return on(real.getFileName());
        }

        @Override
        public Path getParent() {
            return on(real.getParent());
        }

        @Override
        public int getNameCount() {
            return real.getNameCount();
        }

        @Override
        public Path getName(int index) {
            return on(real.getName(index));
        }

        @Override
        public Path subpath(int beginIndex, int endIndex) {
            return on(real.subpath(beginIndex, endIndex));
        }

        @Override
        public boolean startsWith(Path other) {
            return real.startsWith(unwrap(other));
        }

        @Override
        public boolean endsWith(Path other) {
            return real.endsWith(unwrap(other));
        }

        @Override
        public Path normalize() {
            return on(real.normalize());
        }

        @Override
        public Path resolve(Path other) {
            return on(real.resolve(unwrap(other)));
        }

        @Override
        public Path relativize(Path other) {
            return on(real.relativize(unwrap(other)));
        }

        @Override
        public URI toUri() {
            return real.toUri();
        }

        @Override
        public Path toAbsolutePath() {
            return on(real.toAbsolutePath());
        }

        @Override
        public Path toRealPath(LinkOption... options) throws IOException {
            return on(real.toRealPath(options));
        }

        @Override
        public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int compareTo(Path other) {
            return real.compareTo(unwrap(other));
        }

        @Override
        public String toString() {
            return real.toString();
        }
    }
}

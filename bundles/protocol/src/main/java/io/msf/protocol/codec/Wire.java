package io.msf.protocol.codec;

/**
 * The frame header's layout: big-endian fields at fixed offsets (docs/protocol.md, "Frame layout").
 * Every field is read with an absolute get at its offset, so a header is read without branching.
 */
final class Wire {

    /** "MS", the first two bytes of every frame. */
    static final int MAGIC = 0x4D53;

    /**
     * The version byte of every frame until the HELLOs have agreed on a version: the HELLOs
     * themselves (they keep version 1's layout in every version) and an ERROR refusing a HELLO.
     */
    static final int HELLO_VERSION = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 2;
    static final int TYPE_OFFSET = 3;
    static final int FRAME_LENGTH_OFFSET = 4;
    /** Magic, version, type and frame length: all that is needed to decide whether to buffer the rest. */
    static final int PREFIX_BYTES = 8;
    static final int FLAGS_OFFSET = 8;
    static final int ERROR_OFFSET = 10;
    static final int SUBJECT_LENGTH_OFFSET = 12;
    static final int RESERVED_OFFSET = 14;
    static final int SOURCE_OFFSET = 16;
    static final int DESTINATION_OFFSET = 20;
    static final int COMMAND_OFFSET = 24;
    static final int TIMEOUT_OFFSET = 28;
    static final int SEQUENCE_OFFSET = 32;
    static final int PAYLOAD_LENGTH_OFFSET = 40;
    static final int HEADER_BYTES = 44;

    private Wire() {
    }

    /** {@code version}, if it is within {@code minVersion..maxVersion}, the versions an end speaks. */
    static int checkSpoken(int version, int minVersion, int maxVersion) {
        if (version < minVersion || version > maxVersion) {
            throw new IllegalArgumentException("protocol version " + version + " is not one this end speaks ("
                    + minVersion + ".." + maxVersion + ")");
        }
        return version;
    }
}

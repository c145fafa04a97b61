package io.msf.client.api;

import io.msf.protocol.api.Protocol;
import io.msf.protocol.api.Topic;
import java.util.Objects;

/**
 * Where a request or notification goes: a peer's numeric id (as libmsf addresses services) or the
 * name it claimed. Every handler in the container and every connected peer can be reached either way.
 */
public final class Address {

    private final int id;
    private final String name;

    private Address(int id, String name) {
        this.id = id;
        this.name = name;
    }

    /**
     * The peer with this id; ids are unsigned 32-bit numbers, see {@link Protocol#FIRST_ASSIGNED_ID}.
     *
     * @throws IllegalArgumentException for {@link Protocol#AGENT_ID}, which is not a peer
     */
    public static Address id(int id) {
        if (id == Protocol.AGENT_ID) {
            throw new IllegalArgumentException("id 0 is the agent itself, not a peer");
        }
        return new Address(id, "");
    }

    /**
     * The peer that claimed this name.
     *
     * @throws IllegalArgumentException if {@code name} breaks the naming rules of {@link Topic#checkName}
     */
    public static Address name(String name) {
        Objects.requireNonNull(name, "name");
        return new Address(Protocol.AGENT_ID, Topic.checkName(name));
    }

    /** True when addressed by name. */
    public boolean byName() {
        return !name.isEmpty();
    }

    /** The id, or {@link Protocol#AGENT_ID} when addressed by name. */
    public int id() {
        return id;
    }

    /** The name, or the empty string when addressed by id. */
    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Address other && id == other.id && name.equals(other.name);
    }

    @Override
    public int hashCode() {
        return id * 31 + name.hashCode();
    }

    /** {@code #42} for an id, the name itself for a name. */
    @Override
    public String toString() {
        return byName() ? name : "#" + Integer.toUnsignedString(id);
    }
}

package io.msf.agent.internal.broker;

/**
 * A name and/or id one local peer answers to, as a child container exports it to its parent: one
 * registration (HELLO) in the parent's agent claims exactly this pair.
 *
 * @param name the name, or empty
 * @param id the claimed id (1 to 0x7FFFFFFF), or 0: ids the agent assigned mean nothing outside it
 */
public record Identity(String name, int id) {

    /** {@code 'dlna' (#7)}, {@code 'dlna'} or {@code #7}. */
    @Override
    public String toString() {
        String number = "#" + id;
        return name.isEmpty() ? number : id == 0 ? "'" + name + "'" : "'" + name + "' (" + number + ")";
    }
}

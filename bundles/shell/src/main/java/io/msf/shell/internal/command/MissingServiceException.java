package io.msf.shell.internal.command;

/** A command needs a core service that is not registered right now. */
public final class MissingServiceException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public MissingServiceException(String service, String bundle) {
        super("the " + service + " service is missing: bundle " + bundle
                + " is not active or its component is not satisfied (see lb and scr:list)");
    }
}

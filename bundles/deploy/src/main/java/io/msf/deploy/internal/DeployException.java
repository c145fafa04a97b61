package io.msf.deploy.internal;

/** A change that could not be carried out; the message says why, in an operator's words. */
final class DeployException extends Exception {

    private static final long serialVersionUID = 1L;

    DeployException(String message) {
        super(message);
    }

    DeployException(String message, Throwable cause) {
        super(message, cause);
    }
}

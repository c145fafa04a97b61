package io.msf.protocol.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The code and words of a handler's failure (docs/protocol.md section 8). */
class HandlerFailureTest {

    @Test
    void aCodeAHandlerMayAnswerIsPassedOnWithTheDetailAlone() {
        assertThat(HandlerFailure.of(ErrorCode.NO_HANDLER, "no command 7"))
                .isEqualTo(new HandlerFailure(ErrorCode.NO_HANDLER, "no command 7"));
    }

    @Test
    void aCodeAboutAConnectionBecomesRemoteErrorWithTheCodeInFront() {
        assertThat(HandlerFailure.of(ErrorCode.UNAUTHORIZED, "token expired"))
                .isEqualTo(new HandlerFailure(ErrorCode.REMOTE_ERROR, "UNAUTHORIZED: token expired"));
    }

    @Test
    void anyOtherFailureIsRemoteErrorWithItsClassAndMessageIfItHasOne() {
        assertThat(HandlerFailure.of(new IllegalStateException("boom")))
                .isEqualTo(new HandlerFailure(ErrorCode.REMOTE_ERROR, "java.lang.IllegalStateException: boom"));
        assertThat(HandlerFailure.of(new NullPointerException()))
                .isEqualTo(new HandlerFailure(ErrorCode.REMOTE_ERROR, "java.lang.NullPointerException"));
    }
}

package io.msf.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ControlCharactersTest {

    @Test
    void whatATerminalObeysIsEscapedLineFeedsTabsAndTextStay() {
        assertThat(ControlCharacters.escaped("\u001b[2J\u0000\u0007\r\u007f\u0080\u009b\u009f"))
                .isEqualTo("\\u001b[2J\\u0000\\u0007\\u000d\\u007f\\u0080\\u009b\\u009f");
        assertThat(ControlCharacters.escaped("two\n\tlines, caf\u00e9 \u00a0\u2028 \\u001b"))
                .isEqualTo("two\n\tlines, caf\u00e9 \u00a0\u2028 \\u001b");
    }

    @Test
    void onOneLineLineFeedsAndTabsAreEscapedToo() {
        assertThat(ControlCharacters.escapedOnOneLine("bye\nSEVERE: forged\r\n\tat\u001b[2J\u009b caf\u00e9"))
                .isEqualTo("bye\\u000aSEVERE: forged\\u000d\\u000a\\u0009at\\u001b[2J\\u009b caf\u00e9");
        assertThat(ControlCharacters.escapedOnOneLine("plain text")).isEqualTo("plain text");
    }

    @Test
    void obeyedAreC0ButLineFeedAndTabDelAndC1() {
        assertThat(ControlCharacters.obeyed('\u001b')).isTrue();
        assertThat(ControlCharacters.obeyed('\r')).isTrue();
        assertThat(ControlCharacters.obeyed('\u007f')).isTrue();
        assertThat(ControlCharacters.obeyed('\u009b')).isTrue();
        assertThat(ControlCharacters.obeyed('\n')).isFalse();
        assertThat(ControlCharacters.obeyed('\t')).isFalse();
        assertThat(ControlCharacters.obeyed('\u00a0')).isFalse();
        assertThat(ControlCharacters.obeyed('a')).isFalse();
    }
}

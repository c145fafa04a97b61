package io.msf.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretNamesTest {

    @Test
    void aKeyWithASecretWordInItsNameInAnyCaseHoldsASecret() {
        assertThat(SecretNames.namedAsSecret("password")).isTrue();
        assertThat(SecretNames.namedAsSecret("tlsKeyStorePassword")).isTrue();
        assertThat(SecretNames.namedAsSecret("SECRET_KEY")).isTrue();
        assertThat(SecretNames.namedAsSecret("param.apiToken")).isTrue();
    }

    @Test
    void otherKeysHoldNone() {
        assertThat(SecretNames.namedAsSecret("pin")).isFalse();
        assertThat(SecretNames.namedAsSecret("port")).isFalse();
        assertThat(SecretNames.namedAsSecret("")).isFalse();
    }
}

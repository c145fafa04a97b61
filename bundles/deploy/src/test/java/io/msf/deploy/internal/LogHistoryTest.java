package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.log.LogEntry;

class LogHistoryTest {

    private final Bundle service = bundle(12);
    private final Bundle other = bundle(3);

    /**
     * Felix Log numbers an entry before it adds it: one numbered 99 that its thread added late sits
     * in front of 105. Reading stopped there, at the first entry not after the mark (100), and the
     * modified method's exception logged as 105 was not seen: the change passed as taken.
     */
    @Test
    void anEntryAddedLateWithALowerNumberDoesNotHideTheNewerOnesBehindIt() {
        LogEntry late = entry(99, other);
        LogEntry thrown = entry(105, service);
        LogEntry before = entry(100, service);

        assertThat(LogHistory.after(Collections.enumeration(List.of(late, thrown, before)), 100, 12))
                .containsExactly(thrown);
    }

    @Test
    void theMarkIsTheHighestNumberWhereverItIs() {
        assertThat(LogHistory.newest(Collections.enumeration(List.of(entry(99, other), entry(100, service)))))
                .isEqualTo(100);
        assertThat(LogHistory.newest(Collections.enumeration(List.of()))).isEqualTo(-1);
    }

    private static LogEntry entry(long sequence, Bundle bundle) {
        LogEntry entry = mock(LogEntry.class);
        when(entry.getSequence()).thenReturn(sequence);
        when(entry.getBundle()).thenReturn(bundle);
        return entry;
    }

    private static Bundle bundle(long id) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getBundleId()).thenReturn(id);
        return bundle;
    }
}

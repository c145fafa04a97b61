package io.msf.shell.internal.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.event.api.EventLoopStats;
import io.msf.event.api.Transport;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopCommandsTest {

    @Test
    void showsEachGroup() {
        TestServices.Loops loops = new TestServices.Loops(Transport.EPOLL, List.of(
                new EventLoopStats("io", Transport.EPOLL, 4, 0, 1234, 2),
                new EventLoopStats("worker", Transport.EPOLL, 2, 17, 56, 0)));

        String out = new LoopCommands(TestServices.Fixed.none().with(loops)).stats();

        assertThat(out).isEqualTo(""
                + "GROUP   TRANSPORT  THREADS  PENDING   RUN  CANCELLED\n"
                + "------  ---------  -------  -------  ----  ---------\n"
                + "io      EPOLL            4        0  1234          2\n"
                + "worker  EPOLL            2       17    56          0\n");
    }
}

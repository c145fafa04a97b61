package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What docs/protocol.md section 8 promises of order: what one connection sends to another arrives in
 * the order sent, whatever its kind and however it is addressed, and answers keep their place too.
 */
class OrderingTest {

    private static final int MESSAGES = 300;

    @RegisterExtension
    final QuietAgent agent = QuietAgent.start();

    @Test
    void requestsNotificationsAndPublicationsFromOnePeerArriveInTheOrderSent() throws Exception {
        TestPeer receiver = agent.peer(42, "receiver");
        receiver.subscribed("news.>");
        TestPeer sender = agent.peer(5, "");

        for (int i = 0; i < MESSAGES; i++) {
            switch (i % 4) {
                case 0 -> sender.request(42, i, "by id", 60_000);
                case 1 -> sender.request("receiver", i, "by name", 60_000);
                case 2 -> sender.send(Message.notification("receiver", i, 10_000 + i, TestPeer.text("notify")));
                default -> sender.publish("news.item", i, "publication");
            }
        }

        List<Integer> commands = new ArrayList<>();
        List<Frame> requests = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            Frame frame = receiver.next();
            commands.add(frame.command());
            if (frame.type() == MessageType.REQUEST) {
                requests.add(frame);
            }
        }
        assertThat(commands).as("commands in the order received").isSorted().hasSize(MESSAGES)
                .doesNotHaveDuplicates();

        // Each answer, then a notification of the answerer's: the requester gets them in that order.
        for (Frame request : requests) {
            receiver.reply(request, "answer");
            receiver.send(Message.notification(5, request.command(), 20_000 + request.command(), TestPeer.text("after the answer")));
        }
        for (Frame request : requests) {
            Frame reply = sender.next();
            Frame after = sender.next();
            assertThat(reply.type()).as("%s", reply).isEqualTo(MessageType.REPLY);
            assertThat(reply.command()).isEqualTo(request.command());
            assertThat(after.type()).as("%s", after).isEqualTo(MessageType.NOTIFY);
            assertThat(after.command()).isEqualTo(request.command());
        }
        sender.assertNothingElse();
    }
}

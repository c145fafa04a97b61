package io.msf.bench.broker;

import java.io.IOException;

/**
 * The echo responder of the broker benchmark, in its own process like a real service: it answers
 * every request with the request's payload, through the msf client (to the agent or the forwarder;
 * id {@value BenchConnection#ECHO_ID}) or through jnats (subject {@value BenchConnection#ECHO_SUBJECT}).
 *
 * <pre>java -cp benchmarks.jar io.msf.bench.broker.Responder msf uds:/path/agent.sock
 * java -cp benchmarks.jar io.msf.bench.broker.Responder msf tcp:7420
 * java -cp benchmarks.jar io.msf.bench.broker.Responder nats nats://127.0.0.1:4222</pre>
 *
 * Prints {@code responder ready} once registered; exits when its standard input closes.
 */
public final class Responder {

    private Responder() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: Responder msf|nats <address>");
        }
        AutoCloseable connection = args[0].equals("nats")
                ? NatsConnection.respond(args[1])::close
                : MsfConnection.respond(Addresses.parse(args[1]), BenchConnection.ECHO_ID);
        System.out.println("responder ready");
        System.out.flush();
        waitForEndOfInput();
        connection.close();
    }

    private static void waitForEndOfInput() throws IOException {
        while (System.in.read() >= 0) {
            // the driver never writes: it closes our standard input to stop us
        }
    }
}

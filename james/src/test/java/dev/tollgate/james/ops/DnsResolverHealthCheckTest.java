package dev.tollgate.james.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

class DnsResolverHealthCheckTest {
    @Test
    void readsTheServersJamesUses(@TempDir Path dir) throws Exception {
        Path xml = dir.resolve("dnsservice.xml");
        Files.writeString(xml, "<dnsservice><servers><server>192.0.2.53</server><server>192.0.2.54:5353</server>"
                + "</servers><autodiscover>false</autodiscover></dnsservice>");
        assertThat(DnsResolverHealthCheck.servers(xml)).containsExactly(new InetSocketAddress("192.0.2.53", 53),
                new InetSocketAddress("192.0.2.54", 5353));
    }

    @Test
    void aServerThatAnswersIsHealthyOneThatAnswersServfailOrNothingIsNot() throws Exception {
        for (int rcode : new int[] {Rcode.REFUSED, Rcode.SERVFAIL}) {
            try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                Thread server = new Thread(() -> answer(socket, rcode));
                server.start();
                String problem = DnsResolverHealthCheck.ask(new InetSocketAddress("127.0.0.1", socket.getLocalPort()));
                if (rcode == Rcode.REFUSED) {
                    assertThat(problem).isNull();
                } else {
                    assertThat(problem).contains("SERVFAIL");
                }
                server.join(5000);
            }
        }
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            assertThat(DnsResolverHealthCheck.ask(new InetSocketAddress("127.0.0.1", silent.getLocalPort())))
                    .contains("did not answer");
        }
    }

    private static void answer(DatagramSocket socket, int rcode) {
        try {
            byte[] buffer = new byte[512];
            DatagramPacket in = new DatagramPacket(buffer, buffer.length);
            socket.receive(in);
            Message query = new Message(java.util.Arrays.copyOf(in.getData(), in.getLength()));
            Message reply = new Message(query.getHeader().getID());
            reply.getHeader().setFlag(Flags.QR);
            reply.getHeader().setRcode(rcode);
            reply.addRecord(query.getQuestion(), org.xbill.DNS.Section.QUESTION);
            byte[] out = reply.toWire();
            socket.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

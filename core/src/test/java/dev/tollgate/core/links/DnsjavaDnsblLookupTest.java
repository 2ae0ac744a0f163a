package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TXTRecord;

class DnsjavaDnsblLookupTest {
    /** Answers queries in memory, like a recursor would on the wire. */
    static final class FakeResolver implements Resolver {
        private final Function<Message, Message> answer;

        FakeResolver(Function<Message, Message> answer) {
            this.answer = answer;
        }

        @Override
        public Message send(Message query) throws IOException {
            return answer.apply(query);
        }

        @Override
        public void setPort(int port) {
        }

        @Override
        public void setTCP(boolean flag) {
        }

        @Override
        public void setIgnoreTruncation(boolean flag) {
        }

        @Override
        public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
        }

        @Override
        public void setTSIGKey(TSIG key) {
        }

        @Override
        public void setTimeout(Duration timeout) {
        }
    }

    private static Message reply(Message query, int rcode, String... ips) {
        Message r = new Message(query.getHeader().getID());
        r.getHeader().setRcode(rcode);
        r.addRecord(query.getQuestion(), Section.QUESTION);
        Name name = query.getQuestion().getName();
        for (String ip : ips) {
            try {
                r.addRecord(new ARecord(name, DClass.IN, 300, InetAddress.getByName(ip)), Section.ANSWER);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        r.addRecord(new TXTRecord(name, DClass.IN, 300, "listed"), Section.ANSWER);
        return r;
    }

    @Test
    void returnsTheARecordsOfTheAnswer() throws IOException {
        DnsjavaDnsblLookup lookup = new DnsjavaDnsblLookup(new FakeResolver(q -> {
            assertThat(q.getQuestion().getName().toString()).isEqualTo("evil.test.dbl.example.");
            return reply(q, Rcode.NOERROR, "127.0.1.4", "127.0.1.5");
        }));
        assertThat(lookup.lookupA("evil.test.dbl.example")).extracting(InetAddress::getHostAddress)
                .containsExactly("127.0.1.4", "127.0.1.5");
    }

    @Test
    void nxdomainIsEmpty() throws IOException {
        DnsjavaDnsblLookup lookup = new DnsjavaDnsblLookup(new FakeResolver(q -> reply(q, Rcode.NXDOMAIN)));
        assertThat(lookup.lookupA("clean.test.dbl.example")).isEmpty();
    }

    @Test
    void servfailAndMismatchedRepliesAreIoErrors() {
        DnsjavaDnsblLookup servfail = new DnsjavaDnsblLookup(new FakeResolver(q -> reply(q, Rcode.SERVFAIL)));
        assertThatThrownBy(() -> servfail.lookupA("x.test.dbl.example")).isInstanceOf(IOException.class);
        DnsjavaDnsblLookup wrong = new DnsjavaDnsblLookup(new FakeResolver(q -> new Message()));
        assertThatThrownBy(() -> wrong.lookupA("x.test.dbl.example")).isInstanceOf(IOException.class);
    }

    @Test
    void feedsDnsblEndToEnd() {
        DnsjavaDnsblLookup lookup = new DnsjavaDnsblLookup(new FakeResolver(q -> reply(q, Rcode.NOERROR,
                "127.0.1.2")));
        DnsblResult r = Dnsbl.builder("dbl.example", lookup).build().check("spam.test");
        assertThat(r.categories()).containsExactly(DnsblResult.Category.SPAM);
    }
}

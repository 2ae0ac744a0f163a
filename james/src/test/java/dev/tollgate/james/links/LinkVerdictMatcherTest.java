package dev.tollgate.james.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.MailAttributes;
import dev.tollgate.core.config.ConfigException;

class LinkVerdictMatcherTest {
    @TempDir
    Path dir;

    private static Mail mail(String html) throws MessagingException {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(
                ("Content-Type: text/html; charset=utf-8\r\n\r\n" + html).getBytes(StandardCharsets.UTF_8)));
        return FakeMail.builder().name("m").mimeMessage(m).recipients("a@example.com", "b@example.com").build();
    }

    private static <T extends LinkVerdictMatcher> T init(T matcher, String condition) throws MessagingException {
        matcher.init(FakeMatcherConfig.builder().matcherName(matcher.getClass().getSimpleName()).condition(condition).build());
        return matcher;
    }

    @Test
    void homographOfProtectedDomainIsMalicious() throws Exception {
        HasMaliciousLink m = init(new HasMaliciousLink(), "protectedDomains=paypal.example");
        Mail mail = mail("<a href=\"https://p\u0430ypal.example/login\">log in</a>");
        assertThat(m.match(mail)).hasSize(2);
        assertThat(AttributeUtils.getValueAndCastFromMail(mail, AttributeName.of(MailAttributes.LINKS_VERDICT), String.class))
                .hasValue("malicious");
        assertThat(AttributeUtils.getValueAndCastFromMail(mail, AttributeName.of(MailAttributes.LINKS_REASONS), String.class)
                .orElse("")).contains("HOMOGRAPH");
    }

    @Test
    void blockListFromCondition() throws Exception {
        Path block = dir.resolve("block.txt");
        Files.write(block, "*.evil.example\n".getBytes(StandardCharsets.UTF_8));
        HasMaliciousLink m = init(new HasMaliciousLink(), "blockList=" + block + "; listCheckInterval=0s");
        assertThat(m.match(mail("<a href=\"https://x.evil.example/\">x</a>"))).hasSize(2);
        assertThat(m.match(mail("<a href=\"https://evil.example.com/\">x</a>"))).isEmpty();
    }

    @Test
    void deceptiveAnchorIsSuspiciousButSameRegistrableDomainIsNot() throws Exception {
        HasSuspiciousLink s = init(new HasSuspiciousLink(), null);
        HasMaliciousLink m = init(new HasMaliciousLink(), "");
        Mail deceptive = mail("<a href=\"https://login.evil.test/\">https://www.bank.example/</a>");
        assertThat(s.match(deceptive)).hasSize(2);
        assertThat(m.match(deceptive)).isEmpty();
        assertThat(s.match(mail("<a href=\"https://login.bank.co.uk/\">www.bank.co.uk</a>"))).isEmpty();
    }

    @Test
    void aVerdictAlreadyRecordedIsUsedInsteadOfScanningAgain() throws Exception {
        HasMaliciousLink m = init(new HasMaliciousLink(), "protectedDomains=paypal.example");
        Mail plain = mail("<a href=\"https://www.example.org/\">example</a>");
        plain.setAttribute(org.apache.mailet.Attribute.convertToAttribute(MailAttributes.LINKS_VERDICT, "malicious"));
        assertThat(m.match(plain)).hasSize(2);

        Mail homograph = mail("<a href=\"https://p\u0430ypal.example/login\">log in</a>");
        homograph.setAttribute(org.apache.mailet.Attribute.convertToAttribute(MailAttributes.LINKS_VERDICT, "clean"));
        assertThat(m.match(homograph)).isEmpty();
        assertThat(homograph.getAttribute(AttributeName.of(MailAttributes.LINKS_REASONS))).isEmpty();

        Mail unknown = mail("<a href=\"https://www.example.org/\">example</a>");
        unknown.setAttribute(org.apache.mailet.Attribute.convertToAttribute(MailAttributes.LINKS_VERDICT, "unheard-of"));
        assertThat(m.match(unknown)).as("a verdict Tollgate does not write counts as the worst").hasSize(2);
    }

    @Test
    void linkSettingsFileGivesTheScannerItsLists() throws Exception {
        Path block = dir.resolve("block.txt");
        Files.write(block, "*.evil.example\n".getBytes(StandardCharsets.UTF_8));
        Path settings = dir.resolve("tollgate-links.properties");
        Files.write(settings, ("port=8480\nkeyFile=unused.keys\nblockList=" + block + "\nlistCheckInterval=0s\n")
                .getBytes(StandardCharsets.UTF_8));
        HasMaliciousLink m = init(new HasMaliciousLink(), "linkSettings=" + settings);
        assertThat(m.match(mail("<a href=\"https://x.evil.example/\">x</a>"))).hasSize(2);
        assertThat(m.match(mail("<a href=\"https://evil.example.com/\">x</a>"))).isEmpty();

        assertThatThrownBy(() -> LinkMatcherConfig.parse("linkSettings=" + settings + ";blockList=" + block))
                .isInstanceOf(ConfigException.class).hasMessageContaining("blockList")
                .hasMessageContaining("set it there only");
        // Read as James reads the redirector's file (ISO-8859-1), so a non-ASCII path names the same file.
        Path accented = dir.resolve("bl\u00e9.txt");
        Files.write(accented, "*.evil.example\n".getBytes(StandardCharsets.UTF_8));
        Path latin1 = dir.resolve("latin1.properties");
        Files.write(latin1, ("blockList=" + accented + "\n").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(init(new HasMaliciousLink(), "linkSettings=" + latin1)
                .match(mail("<a href=\"https://x.evil.example/\">x</a>"))).hasSize(2);

        Path badInterval = dir.resolve("bad.properties");
        Files.write(badInterval, "listCheckInterval=soon\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> LinkMatcherConfig.parse("linkSettings=" + badInterval))
                .isInstanceOf(ConfigException.class).hasMessageContaining("parameter 'listCheckInterval'")
                .hasMessageContaining("(in " + badInterval + ")");
        assertThatThrownBy(() -> LinkMatcherConfig.parse("linkSettings=" + dir.resolve("missing.properties")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("linkSettings")
                .hasMessageContaining("missing.properties");
    }

    @Test
    void badConditionFailsInit() {
        assertThatThrownBy(() -> init(new HasMaliciousLink(), "nonsense")).isInstanceOf(MessagingException.class)
                .hasMessageContaining("condition");
        assertThatThrownBy(() -> LinkMatcherConfig.parse("dnsblZones=not a zone")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("dnsblZones");
        assertThatThrownBy(() -> LinkMatcherConfig.parse("color=red")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("color");
    }
}

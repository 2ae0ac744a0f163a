package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegistrableDomainTest {
    private static String registrable(String host) {
        return LinkChecks.registrableDomain(HostNormalizer.normalize(host));
    }

    @Test
    void domainsFollowThePublicSuffixList() {
        assertThat(registrable("login.example.co.uk")).isEqualTo("example.co.uk");
        assertThat(registrable("www.example.com")).isEqualTo("example.com");
        assertThat(registrable("a.b.mail.test")).isEqualTo("mail.test"); // default rule: last two labels
        assertThat(registrable("co.uk")).isEqualTo("co.uk"); // a public suffix is its own answer
        assertThat(registrable("192.0.2.10")).isEqualTo("192.0.2.10");
    }

    @Test
    void rememberedAnswersAreTheSameAsFreshOnes() {
        // more hosts than are remembered, each asked twice: eviction must never change an answer
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 5000; i++) {
                assertThat(registrable("h" + i + ".shop" + (i % 7) + ".co.uk")).isEqualTo("shop" + (i % 7) + ".co.uk");
            }
        }
        assertThat(registrable("WWW.Example.COM")).isEqualTo("example.com");
    }
}

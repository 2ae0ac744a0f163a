package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class LinkVerdictTest {
    @Test
    void concernsNameTheReasonsOfFindingsThatAreNotCleanSortedOnce() {
        LinkVerdict v = LinkVerdict.of(List.of(
                LinkVerdict.Finding.of(LinkVerdict.Reason.USERINFO, LinkVerdict.Level.SUSPICIOUS, "a"),
                LinkVerdict.Finding.of(LinkVerdict.Reason.IP_LITERAL_HOST, LinkVerdict.Level.CLEAN, "b"),
                LinkVerdict.Finding.of(LinkVerdict.Reason.DANGEROUS_SCHEME, LinkVerdict.Level.MALICIOUS, "c"),
                LinkVerdict.Finding.of(LinkVerdict.Reason.USERINFO, LinkVerdict.Level.MALICIOUS, "d")));

        assertThat(v.concerns()).containsExactly("dangerous_scheme", "userinfo");
        assertThat(LinkVerdict.clean().concerns()).isEmpty();
    }
}

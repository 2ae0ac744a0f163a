package dev.tollgate.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The authserv-id of Authentication-Results values (RFC 8601 §2.2) as forgers could write it. */
class AuthservIdForgedTrustTest {
    @Test
    void readsThePlainId() {
        assertThat(AuthservId.of("mx.example.com; auth=pass (mfa=totp) smtp.auth=ceo@demo.test"))
                .hasValue("mx.example.com");
        assertThat(AuthservId.of("mx.example.com 1; spf=pass")).hasValue("mx.example.com");
        assertThat(AuthservId.of("mx.example.com; none")).hasValue("mx.example.com");
    }

    @Test
    void caseCommentsFoldingQuotesAndTrailingDotDoNotHideTheId() {
        assertThat(AuthservId.of("MX.Example.COM; auth=pass")).hasValue("mx.example.com");
        assertThat(AuthservId.of(" (a (nested) comment)\r\n\tmx.example.com(c); auth=pass")).hasValue("mx.example.com");
        assertThat(AuthservId.of("\"mx.example.com\"; auth=pass")).hasValue("mx.example.com");
        assertThat(AuthservId.of("mx.example.com.; auth=pass")).hasValue("mx.example.com");
    }

    @Test
    void claimsIsTrueForOursAndForUnreadableValues() {
        assertThat(AuthservId.claims("Mx.Example.com; auth=pass", "mx.example.com")).isTrue();
        assertThat(AuthservId.claims("(unbalanced mx.example.com; auth=pass", "mx.example.com")).isTrue();
        assertThat(AuthservId.claims("\"mx.example.com; auth=pass", "mx.example.com")).isTrue();
        assertThat(AuthservId.claims("", "mx.example.com")).isTrue();
        assertThat(AuthservId.claims("x".repeat(AuthservId.MAX_CHARS + 1), "mx.example.com")).isTrue();
        assertThat(AuthservId.claims("gmail.com; dkim=pass header.d=example.org", "mx.example.com")).isFalse();
        assertThat(AuthservId.claims("mx.example.com.evil.test; auth=pass", "mx.example.com")).isFalse();
    }
}

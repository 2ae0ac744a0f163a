package dev.tollgate.james.mfa;

import static dev.tollgate.core.testing.TestIssuer.b64;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.apache.james.core.Username;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tollgate.core.testing.TestIssuer;

class OAuthInitialResponseTest {
    static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln";

    @Test
    void oauthBearerWithAuthorizationIdentity() {
        OAuthInitialResponse r = OAuthInitialResponse.parse(TestIssuer.oauthBearer("Alice@Example.com", TOKEN)).orElseThrow();
        assertThat(r.user()).isEqualTo(Username.of("alice@example.com"));
        assertThat(r.token()).isEqualTo(TOKEN);
        assertThat(r.toString()).doesNotContain(TOKEN);
    }

    @Test
    void oauthBearerWithHostPortAndEscapedName() {
        String text = "y,a=we=2Cird=3Dname@example.com,\u0001host=mail.example.com\u0001port=587\u0001auth=Bearer "
                + TOKEN + "\u0001\u0001";
        OAuthInitialResponse r = OAuthInitialResponse.parse(b64(text) + "\r\n").orElseThrow();
        assertThat(r.user().asString()).isEqualTo("we,ird=name@example.com");
        assertThat(r.token()).isEqualTo(TOKEN);
    }

    @Test
    void xoauth2AndJamesForm() {
        assertThat(OAuthInitialResponse.parse(TestIssuer.xoauth2("bob@example.com", TOKEN)).orElseThrow().user().asString())
                .isEqualTo("bob@example.com");
        String james = b64("n,user=bob@example.com\u0001auth=Bearer " + TOKEN + "\u0001\u0001");
        assertThat(OAuthInitialResponse.parse(james).orElseThrow().token()).isEqualTo(TOKEN);
        String lowerScheme = b64("user=bob@example.com\u0001auth=bearer " + TOKEN + "\u0001\u0001");
        assertThat(OAuthInitialResponse.parse(lowerScheme)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "n,,\u0001auth=Bearer " + TOKEN + "\u0001\u0001",                          // no identity
        "n,a=alice@example.com,\u0001\u0001",                                       // no auth
        "n,a=alice@example.com,\u0001auth=Basic YWxpY2U6cHc=\u0001\u0001",         // not Bearer
        "n,a=alice@example.com,\u0001auth=Bearer \u0001\u0001",                    // empty token
        "n,a=alice@example.com,\u0001auth=Bearer a b\u0001\u0001",                 // not a b64token
        "n,a=alice@example.com,\u0001auth=Bearer x\u0001auth=Bearer y\u0001\u0001", // two tokens
        "p=tls-unique,a=alice@example.com,\u0001auth=Bearer x\u0001\u0001",        // channel binding
        "n,a=al=2Xice@example.com,\u0001auth=Bearer x\u0001\u0001",                // bad escape
        "n,a=alice@example.com,\u0001user=bob@example.com\u0001auth=Bearer x\u0001\u0001", // two identities
        "user=a@b@c\u0001auth=Bearer x\u0001\u0001",                               // not a user name
        "user=alice@example.com\u0001noequals\u0001auth=Bearer x\u0001\u0001",     // not key=value
    })
    void malformedResponsesAreEmpty(String text) {
        assertThat(OAuthInitialResponse.parse(b64(text))).isEmpty();
    }

    @Test
    void notBase64NullOrTooLongIsEmpty() {
        assertThat(OAuthInitialResponse.parse(null)).isEmpty();
        assertThat(OAuthInitialResponse.parse("")).isEmpty();
        assertThat(OAuthInitialResponse.parse("not base64!")).isEmpty();
        String huge = TestIssuer.xoauth2("a@example.com", "x".repeat(OAuthInitialResponse.MAX_ENCODED));
        assertThat(OAuthInitialResponse.parse(huge)).isEqualTo(Optional.empty());
    }
}

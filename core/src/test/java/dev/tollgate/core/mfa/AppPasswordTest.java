package dev.tollgate.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AppPasswordTest {
    /** Small parameters keep the tests fast; the format and checks are the same. */
    private final AppPasswordHasher hasher = AppPasswordHasher.argon2id(1024, 1, 1);
    private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void generatorUsesTheUnambiguousAlphabetAndGroups() {
        String pw = AppPasswordGenerator.defaults().generate();
        assertThat(pw).matches("([a-hjkmnp-z2-9]{4}-){4}[a-hjkmnp-z2-9]{4}");
        assertThat(AppPasswordGenerator.normalize(pw)).hasSize(20);
        String plain = AppPasswordGenerator.defaults().withGroupSize(0).withLength(32).generate();
        assertThat(plain).hasSize(32).doesNotContain("-").doesNotContainPattern("[01ilo]");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            seen.add(AppPasswordGenerator.defaults().generate());
        }
        assertThat(seen).hasSize(200);
    }

    @Test
    void generatorRefusesShortPasswords() {
        assertThatThrownBy(() -> AppPasswordGenerator.defaults().withLength(19))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hashIsSelfDescribingAndVerifies() {
        String encoded = hasher.hash("k7mq-x2rt-9vhz-pd4n-wcae");
        assertThat(encoded).matches("\\$argon2id\\$v=19\\$m=1024,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(hasher.verify("k7mq-x2rt-9vhz-pd4n-wcae", encoded)).isTrue();
        assertThat(hasher.verify("K7MQ X2RT 9VHZ PD4N WCAE", encoded)).isTrue();
        assertThat(hasher.verify("k7mq-x2rt-9vhz-pd4n-wcaf", encoded)).isFalse();
        assertThat(hasher.verify("", encoded)).isFalse();
        // a verifier with other defaults still reads the stored parameters
        assertThat(AppPasswordHasher.argon2id(2048, 2, 1).verify("k7mqx2rt9vhzpd4nwcae", encoded)).isTrue();
    }

    @Test
    void saltsDiffer() {
        assertThat(hasher.hash("same-password-here")).isNotEqualTo(hasher.hash("same-password-here"));
    }

    @Test
    void defaultParametersWork() {
        AppPasswordHasher defaults = AppPasswordHasher.defaults();
        String encoded = defaults.hash("abcdefghjkmnpqrstuvw");
        assertThat(encoded).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(defaults.verify("abcdefghjkmnpqrstuvw", encoded)).isTrue();
        assertThat(defaults.needsRehash(encoded)).isFalse();
        assertThat(defaults.needsRehash(hasher.hash("x"))).isTrue();
    }

    @Test
    void tamperedOrMalformedHashesAreStorageErrorsNotMatches() {
        String encoded = hasher.hash("abcdefghjkmnpqrstuvw");
        String flipped = encoded.substring(0, encoded.length() - 2)
                + (encoded.charAt(encoded.length() - 2) == 'A' ? 'B' : 'A') + encoded.charAt(encoded.length() - 1);
        assertThat(hasher.verify("abcdefghjkmnpqrstuvw", flipped)).isFalse();
        for (String bad : new String[] {"", "$2a$10$abc", "$argon2i$v=19$m=1024,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
                encoded.replace("m=1024", "m=999999999"), encoded.replace("t=1", "t=99"),
                encoded.replace("p=1", "p=x"), encoded + "$extra", encoded.replace("$v=19$", "$v=16$")}) {
            assertThatThrownBy(() -> hasher.verify("abcdefghjkmnpqrstuvw", bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void overlongCandidatesAreRejectedWithoutHashing() {
        String encoded = hasher.hash("abcdefghjkmnpqrstuvw");
        assertThat(hasher.verify("a".repeat(10_000), encoded)).isFalse();
    }

    @Test
    void issueExposesPlaintextOnceAndStoresOnlyTheHash() {
        AppPassword.Issued issued = AppPassword.issue("Thunderbird", EnumSet.of(AppPasswordScope.SMTP),
                AppPasswordGenerator.defaults(), hasher, clock);
        AppPassword stored = issued.appPassword();
        assertThat(stored.created()).isEqualTo(clock.instant());
        assertThat(stored.lastUsed()).isEmpty();
        assertThat(stored.id()).hasSize(16);
        assertThat(stored.hash()).doesNotContain(issued.plaintext());
        assertThat(stored.toString()).doesNotContain(issued.plaintext()).doesNotContain(stored.hash());
        assertThat(issued.toString()).doesNotContain(issued.plaintext());
        assertThat(stored.matches(issued.plaintext(), AppPasswordScope.SMTP, hasher)).isTrue();
        assertThat(stored.matches(issued.plaintext(), AppPasswordScope.IMAP, hasher)).isFalse();
        assertThat(stored.matches("wrong-password-value", AppPasswordScope.SMTP, hasher)).isFalse();
        AppPassword used = stored.withLastUsed(clock.instant().plusSeconds(60));
        assertThat(used.lastUsed()).contains(clock.instant().plusSeconds(60));
        assertThat(stored.lastUsed()).isEmpty();
    }

    @Test
    void restoreValidates() {
        assertThatThrownBy(() -> AppPassword.restore("id", "x", EnumSet.noneOf(AppPasswordScope.class),
                Instant.EPOCH, null, "h")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AppPassword.restore("", "x", EnumSet.of(AppPasswordScope.SMTP),
                Instant.EPOCH, null, "h")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AppPassword.restore("id", "x".repeat(101), EnumSet.of(AppPasswordScope.SMTP),
                Instant.EPOCH, null, "h")).isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tollgate.core.mfa.RecordSealer;
import dev.tollgate.core.state.LinkKeyStore;
import dev.tollgate.core.state.StateException;
import dev.tollgate.core.state.StoredLinkKey;
import dev.tollgate.core.state.memory.InMemoryLinkKeyStore;
import dev.tollgate.core.testing.MutableClock;

/** Two nodes over one shared key store: what one signs the other verifies, rotation reaches both, outages are ridden out. */
class LinkKeyRingTest {
    static final Duration REFRESH = Duration.ofSeconds(60);
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    final RecordSealer sealer = new RecordSealer(randomKey());

    static byte[] randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    LinkKeyRing.Protection sealing(RecordSealer s) {
        return new LinkKeyRing.Protection() {
            @Override
            public byte[] seal(String id, byte[] key) throws Exception {
                return s.sealBytes("link-key:" + id, key);
            }

            @Override
            public byte[] open(String id, byte[] material) throws Exception {
                return s.openBytes("link-key:" + id, material);
            }
        };
    }

    /** A shared store that can be made unreachable. */
    static final class Flaky implements LinkKeyStore {
        final LinkKeyStore real = new InMemoryLinkKeyStore();
        volatile boolean down;

        void check() throws StateException {
            if (down) {
                throw new StateException("Cassandra state store cassandra:test/tollgate unavailable");
            }
        }

        @Override
        public List<StoredLinkKey> keys() throws StateException {
            check();
            return real.keys();
        }

        @Override
        public boolean add(StoredLinkKey key) throws StateException {
            check();
            return real.add(key);
        }

        @Override
        public boolean remove(String id) throws StateException {
            check();
            return real.remove(id);
        }
    }

    @Test
    void aKeyGeneratedByOneNodeIsSealedAndSignsForBoth() throws Exception {
        Flaky store = new Flaky();
        LinkKeyRing a = LinkKeyRing.open(store, "shared", sealing(sealer), true, REFRESH, clock);
        LinkKeyRing b = LinkKeyRing.open(store, "shared", sealing(sealer), true, REFRESH, clock);
        assertThat(store.real.keys()).hasSize(1);
        StoredLinkKey stored = store.real.keys().get(0);
        assertThat(stored.material().length).as("sealed: magic, nonce, key, tag").isEqualTo(4 + 12 + 32 + 16);
        String token = a.signer(Duration.ZERO).sign("https://example.com/a", "", "<m@x>");
        assertThat(b.verify(token, Duration.ofDays(90)).status()).isEqualTo(LinkTokenSigner.Status.VALID);
        assertThat(b.signer(Duration.ZERO).signingKeyId()).isEqualTo(stored.id());
    }

    @Test
    void aRotationOnOneNodeVerifiesAtOnceOnTheOtherAndSignsThereAfterTheRefresh() throws Exception {
        Flaky store = new Flaky();
        LinkKeyRing a = LinkKeyRing.open(store, "shared", sealing(sealer), true, REFRESH, clock);
        LinkKeyRing b = LinkKeyRing.open(store, "shared", sealing(sealer), true, REFRESH, clock);
        String first = a.signer(Duration.ZERO).signingKeyId();
        String old = a.signer(Duration.ZERO).sign("https://example.com/old", "", "");
        clock.advance(Duration.ofSeconds(10));
        String rotated = a.rotate(Duration.ofDays(90));
        assertThat(rotated).isNotEqualTo(first);
        assertThat(a.signer(Duration.ZERO).signingKeyId()).as("the rotating node signs with it at once").isEqualTo(rotated);
        assertThat(b.signer(Duration.ZERO).signingKeyId()).as("before B's refresh").isEqualTo(first);
        String fresh = a.signer(Duration.ZERO).sign("https://example.com/new", "", "");
        assertThat(b.verify(fresh, Duration.ofDays(90)).status()).as("an unknown key makes B re-read")
                .isEqualTo(LinkTokenSigner.Status.VALID);
        assertThat(b.verify(old, Duration.ofDays(90)).status()).as("the old key still verifies")
                .isEqualTo(LinkTokenSigner.Status.VALID);
        LinkKeyRing c = LinkKeyRing.open(store, "shared", sealing(sealer), true, REFRESH, clock);
        clock.advance(Duration.ofSeconds(5));
        assertThat(c.signer(Duration.ZERO).signingKeyId()).isEqualTo(rotated);
        a.rotate(Duration.ZERO);
        assertThat(c.signer(Duration.ZERO).signingKeyId()).as("within the refresh interval").isEqualTo(rotated);
        clock.advance(REFRESH);
        assertThat(c.signer(Duration.ZERO).signingKeyId()).as("after it").isNotEqualTo(rotated);
    }

    @Test
    void withTheStoreUnreachableTheCachedKeysKeepSigningAndVerifying() throws Exception {
        Flaky store = new Flaky();
        LinkKeyRing a = LinkKeyRing.open(store, "shared", sealing(sealer), true, REFRESH, clock);
        String id = a.signer(Duration.ZERO).signingKeyId();
        String token = a.signer(Duration.ZERO).sign("https://example.com/", "", "");
        store.down = true;
        clock.advance(REFRESH.plusSeconds(1));
        assertThat(a.signer(Duration.ZERO).signingKeyId()).isEqualTo(id);
        assertThat(a.verify(token, Duration.ofDays(1)).isValid()).isTrue();
        assertThat(a.verify("AQJrMQAAAABm" + "A".repeat(60), Duration.ofDays(1)).isValid()).isFalse();
        assertThat(a.refreshNow()).isFalse();
        assertThatThrownBy(() -> a.rotate(Duration.ZERO)).isInstanceOf(StateException.class);
        assertThat(a.signer(Duration.ZERO).signingKeyId()).as("a failed rotation changes nothing").isEqualTo(id);
        store.down = false;
        assertThat(a.refreshNow()).isTrue();
    }

    @Test
    void anotherMfaStoreKeyCannotOpenTheRing() throws Exception {
        Flaky store = new Flaky();
        LinkKeyRing.open(store, "shared", sealing(sealer), true, REFRESH, clock);
        assertThatThrownBy(() -> LinkKeyRing.open(store, "shared", sealing(new RecordSealer(randomKey())), true, REFRESH, clock))
                .isInstanceOf(StateException.class).hasMessageContaining("cannot be opened").hasMessageContaining("shared");
    }

    @Test
    void anEmptyRingWithoutCreationIsRefused() {
        assertThatThrownBy(() -> LinkKeyRing.open(new InMemoryLinkKeyStore(), "empty", LinkKeyRing.Protection.CLEAR, false,
                REFRESH, clock)).isInstanceOf(StateException.class).hasMessageContaining("holds no key");
    }

    @Test
    void rotationRemovesKeysSupersededLongerThanTheTokenLifetime() throws Exception {
        Flaky store = new Flaky();
        LinkKeyRing a = LinkKeyRing.open(store, "shared", LinkKeyRing.Protection.CLEAR, true, REFRESH, clock);
        String first = a.signer(Duration.ZERO).signingKeyId();
        clock.advance(Duration.ofDays(1));
        String second = a.rotate(Duration.ofDays(30));
        clock.advance(Duration.ofDays(29));
        String third = a.rotate(Duration.ofDays(30));
        assertThat(store.real.keys()).extracting(StoredLinkKey::id).containsExactly(third, second, first);
        clock.advance(Duration.ofDays(2));
        String fourth = a.rotate(Duration.ofDays(30));
        assertThat(store.real.keys()).extracting(StoredLinkKey::id).as("first was superseded 31 days ago")
                .containsExactly(fourth, third, second);
    }
}

package dev.tollgate.james.mfa.selfservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SessionsTest {
    /** A clock the test moves by hand. */
    static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-12-03T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final HandClock clock = new HandClock();
    final Sessions sessions = new Sessions(Duration.ofMinutes(10), 10, clock);

    @Test
    void aFloodOfSignInFormsHoldsNothingAndPushesOutNoOne() {
        Sessions.Session alice = sessions.create("alice@example.com");
        List<Sessions.Session> forms = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            forms.add(sessions.create(null));
        }
        assertThat(sessions.find(alice.id)).contains(alice);
        assertThat(sessions.size()).as("only the signed-in session is held").isEqualTo(1);
        Sessions.Session first = sessions.find(forms.get(0).id).orElseThrow();
        assertThat(first.signedIn()).isFalse();
        assertThat(first.csrfMatches(forms.get(0).csrf)).as("the first form still posts").isTrue();
        assertThat(sessions.find(forms.get(999).id)).isPresent();
    }

    @Test
    void aSignInFormsTokenBelongsToItsOwnSessionOnly() {
        Sessions.Session one = sessions.create(null);
        Sessions.Session two = sessions.create(null);
        assertThat(one.id).isNotEqualTo(two.id);
        assertThat(sessions.find(one.id).orElseThrow().csrfMatches(two.csrf)).isFalse();
        assertThat(sessions.find(one.id).orElseThrow().csrfMatches(one.csrf)).isTrue();
    }

    @Test
    void aSignInFormIdThatWasAlteredOrSignedElsewhereIsNotFound() {
        Sessions.Session form = sessions.create(null);
        String id = form.id;
        int dot = id.lastIndexOf('.');
        char last = id.charAt(dot - 1);
        String otherBody = id.substring(0, dot - 1) + (last == 'A' ? 'B' : 'A') + id.substring(dot);
        assertThat(sessions.find(otherBody)).as("payload changed, MAC kept").isEmpty();
        assertThat(sessions.find(id.substring(0, dot + 1) + "x".repeat(43))).isEmpty();
        assertThat(sessions.find("a.")).isEmpty();
        assertThat(sessions.find("a.!!!.x")).isEmpty();
        assertThat(sessions.find("a." + "A".repeat(200) + ".x")).isEmpty();
        Sessions other = new Sessions(Duration.ofMinutes(10), 10, clock);
        assertThat(other.find(id)).as("another process's key").isEmpty();
    }

    @Test
    void eachKindKeepsItsNewestWithinTheBound() {
        List<Sessions.Session> users = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            users.add(sessions.create("u" + i + "@example.com"));
        }
        assertThat(sessions.find(users.get(0).id)).isEmpty();
        assertThat(sessions.find(users.get(1).id)).isEmpty();
        assertThat(sessions.find(users.get(2).id)).isPresent();
        assertThat(sessions.size()).isEqualTo(10);
    }

    @Test
    void oneUserSigningInAgainAndAgainEndsOnlyTheirOwnOldestSessions() {
        Sessions many = new Sessions(Duration.ofMinutes(10), 100, clock);
        Sessions.Session alice = many.create("alice@example.com");
        List<Sessions.Session> bob = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            bob.add(many.create("bob@example.com"));
        }
        assertThat(many.find(alice.id)).contains(alice);
        assertThat(many.size()).isEqualTo(1 + Sessions.PER_USER);
        assertThat(many.find(bob.get(999 - Sessions.PER_USER).id)).isEmpty();
        assertThat(many.find(bob.get(1000 - Sessions.PER_USER).id)).isPresent();
        many.remove(bob.get(999));
        assertThat(many.size()).isEqualTo(Sessions.PER_USER);
    }

    @Test
    void expiredSessionsAreNotFound() {
        Sessions.Session early = sessions.create("alice@example.com");
        Sessions.Session form = sessions.create(null);
        clock.now = clock.now.plus(Duration.ofMinutes(10).minusSeconds(1));
        assertThat(sessions.find(form.id)).isPresent();
        clock.now = clock.now.plusSeconds(1);
        assertThat(sessions.find(early.id)).as("the lifetime is absolute").isEmpty();
        assertThat(sessions.find(form.id)).as("a form's lifetime too").isEmpty();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void removingAFormLeavesTheSignedInSessions() {
        Sessions.Session form = sessions.create(null);
        Sessions.Session bob = sessions.create("bob@example.com");
        sessions.remove(form);
        assertThat(sessions.find(bob.id)).contains(bob);
        sessions.remove(bob);
        assertThat(sessions.find(bob.id)).isEmpty();
    }
}

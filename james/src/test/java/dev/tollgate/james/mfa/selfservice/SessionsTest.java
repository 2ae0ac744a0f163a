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
    void aFloodOfSignInFormsNeverSignsAnyoneOut() {
        Sessions.Session alice = sessions.create("alice@example.com");
        List<Sessions.Session> forms = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            forms.add(sessions.create(null));
        }
        assertThat(sessions.find(alice.id)).contains(alice);
        assertThat(sessions.size()).isEqualTo(11);
        assertThat(sessions.find(forms.get(0).id)).as("the oldest form went").isEmpty();
        assertThat(sessions.find(forms.get(999).id)).isPresent();
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
    void expiredSessionsAreNotFoundAndMakeRoomFirst() {
        Sessions.Session early = sessions.create("alice@example.com");
        clock.now = clock.now.plus(Duration.ofMinutes(10));
        assertThat(sessions.find(early.id)).as("the lifetime is absolute").isEmpty();
        Sessions.Session expiring = sessions.create(null);
        clock.now = clock.now.plus(Duration.ofMinutes(11));
        sessions.create(null);
        assertThat(sessions.size()).as("the expired form was dropped on the next create").isEqualTo(1);
        assertThat(sessions.find(expiring.id)).isEmpty();
    }

    @Test
    void removingAFormLeavesTheSignedInSessions() {
        Sessions.Session form = sessions.create(null);
        Sessions.Session bob = sessions.create("bob@example.com");
        sessions.remove(form);
        assertThat(sessions.find(form.id)).isEmpty();
        assertThat(sessions.find(bob.id)).contains(bob);
    }
}

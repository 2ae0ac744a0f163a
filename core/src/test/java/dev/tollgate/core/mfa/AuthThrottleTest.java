package dev.tollgate.core.mfa;

import dev.tollgate.core.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuthThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AuthThrottle throttle = AuthThrottle.builder()
            .baseDelay(Duration.ofSeconds(1)).maxDelay(Duration.ofSeconds(60))
            .userLockoutThreshold(10).ipLockoutThreshold(20).lockoutDuration(Duration.ofMinutes(15))
            .forgetAfter(Duration.ofHours(1)).clock(clock).build();

    @Test
    void newUserIsAllowed() throws Exception {
        AuthThrottle.Decision d = throttle.check("alice", "192.0.2.1");
        assertThat(d.isAllowed()).isTrue();
        assertThat(d.until()).isEmpty();
        assertThat(d.retryAfter()).isZero();
    }

    @Test
    void delayDoublesFromBaseUpToMax() throws Exception {
        assertThat(throttle.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(throttle.delayAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(throttle.delayAfter(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(throttle.delayAfter(7)).isEqualTo(Duration.ofSeconds(60));
        assertThat(throttle.delayAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void failuresDelayTheNextAttempt() throws Exception {
        AuthThrottle.Decision d = throttle.recordFailure("alice", null);
        assertThat(d.outcome()).isEqualTo(AuthThrottle.Outcome.DELAYED);
        assertThat(d.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.check("alice", null).isAllowed()).isTrue();
        throttle.recordFailure("alice", null);
        clock.advance(Duration.ofMillis(1500));
        AuthThrottle.Decision second = throttle.check("alice", null);
        assertThat(second.outcome()).isEqualTo(AuthThrottle.Outcome.DELAYED);
        assertThat(second.retryAfter()).isEqualTo(Duration.ofMillis(500));
        assertThat(second.until()).contains(clock.instant().plusMillis(500));
    }

    @Test
    void tenFailuresLockTheUserForTheLockoutDuration() throws Exception {
        for (int i = 0; i < 9; i++) {
            assertThat(throttle.recordFailure("alice", null).outcome()).isNotEqualTo(AuthThrottle.Outcome.LOCKED);
            clock.advance(Duration.ofMinutes(2));
        }
        AuthThrottle.Decision locked = throttle.recordFailure("alice", null);
        assertThat(locked.outcome()).isEqualTo(AuthThrottle.Outcome.LOCKED);
        assertThat(locked.until()).contains(clock.instant().plus(Duration.ofMinutes(15)));
        clock.advance(Duration.ofMinutes(14));
        assertThat(throttle.check("alice", null).outcome()).isEqualTo(AuthThrottle.Outcome.LOCKED);
        clock.advance(Duration.ofMinutes(1));
        assertThat(throttle.check("alice", null).isAllowed()).isTrue();
    }

    @Test
    void userNamesAreCaseInsensitive() throws Exception {
        throttle.recordFailure("Alice", null);
        assertThat(throttle.check("ALICE", null).isAllowed()).isFalse();
        assertThat(throttle.failures("alice")).isEqualTo(1);
    }

    @Test
    void successResetsTheUserButNotTheIp() throws Exception {
        // 10 failures are free for an address (ipFreeFailures); three more give the IP its own backoff
        for (int i = 0; i < 13; i++) {
            throttle.recordFailure("alice", "192.0.2.1");
        }
        throttle.recordSuccess("alice", "192.0.2.1");
        assertThat(throttle.failures("alice")).isZero();
        assertThat(throttle.check("alice", null).isAllowed()).isTrue();
        // the IP still carries the backoff of its three counted failures (4 s after the last)
        assertThat(throttle.check("alice", "192.0.2.1").outcome()).isEqualTo(AuthThrottle.Outcome.DELAYED);
        assertThat(throttle.check("bob", "192.0.2.1").isAllowed()).isFalse();
        assertThat(throttle.check("bob", "198.51.100.7").isAllowed()).isTrue();
    }

    @Test
    void ipIsLockedAfterItsOwnThresholdAcrossManyUsers() throws Exception {
        for (int i = 0; i < 20; i++) {
            throttle.recordFailure("user" + i, "203.0.113.9");
        }
        assertThat(throttle.check("fresh-user", "203.0.113.9").outcome()).isEqualTo(AuthThrottle.Outcome.LOCKED);
        assertThat(throttle.check("fresh-user", "203.0.113.10").isAllowed()).isTrue();
    }

    @Test
    void countersAreForgottenAfterExpiry() throws Exception {
        for (int i = 0; i < 10; i++) {
            throttle.recordFailure("alice", null);
        }
        assertThat(throttle.failures("alice")).isEqualTo(10);
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        assertThat(throttle.failures("alice")).isZero();
        assertThat(throttle.check("alice", null).isAllowed()).isTrue();
        assertThat(throttle.recordFailure("alice", null).outcome()).isEqualTo(AuthThrottle.Outcome.DELAYED);
    }

    @Test
    void memoryIsBounded() throws Exception {
        AuthThrottle small = AuthThrottle.builder().maximumSize(50).clock(clock).build();
        for (int i = 0; i < 1000; i++) {
            small.recordFailure("user" + i, null);
        }
        int tracked = 0;
        for (int i = 0; i < 1000; i++) {
            tracked += small.failures("user" + i) > 0 ? 1 : 0;
        }
        assertThat(tracked).isLessThanOrEqualTo(50);
    }

    @Test
    void refusesInconsistentSettings() throws Exception {
        assertThatThrownBy(() -> AuthThrottle.builder().baseDelay(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuthThrottle.builder().baseDelay(Duration.ofMinutes(10)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuthThrottle.builder().forgetAfter(Duration.ofMinutes(1)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuthThrottle.builder().userLockoutThreshold(0).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneAddressGetsFreeFailuresBeforeAnyDelaySoColleaguesBehindANatAreNotSlowed() throws Exception {
        AuthThrottle nat = AuthThrottle.builder().ipFreeFailures(3).ipLockoutThreshold(20).clock(clock).build();
        for (int i = 0; i < 3; i++) {
            nat.recordFailure("typo" + i, "198.51.100.7");
        }
        assertThat(nat.check("bob", "198.51.100.7").isAllowed()).isTrue();
        nat.recordFailure("typo3", "198.51.100.7");
        assertThat(nat.check("bob", "198.51.100.7").outcome()).isEqualTo(AuthThrottle.Outcome.DELAYED);
    }

    @Test
    void ipv6AddressesOfOneSlash64ShareACounter() throws Exception {
        assertThat(AuthThrottle.ipKey("2001:db8:1:2:aaaa::1")).isEqualTo(AuthThrottle.ipKey("2001:db8:1:2:bbbb::99"));
        assertThat(AuthThrottle.ipKey("2001:db8:1:2::1")).isNotEqualTo(AuthThrottle.ipKey("2001:db8:1:3::1"));
        assertThat(AuthThrottle.ipKey("192.0.2.1")).isEqualTo("192.0.2.1");
    }

    @Test
    void anExpiredLockoutStartsAFreshCountInsteadOfRelockingOnTheNextFailure() throws Exception {
        for (int i = 0; i < 10; i++) {
            throttle.recordFailure("carol", null);
        }
        assertThat(throttle.check("carol", null).outcome()).isEqualTo(AuthThrottle.Outcome.LOCKED);
        clock.advance(Duration.ofMinutes(16));
        assertThat(throttle.check("carol", null).isAllowed()).isTrue();
        AuthThrottle.Decision after = throttle.recordFailure("carol", null);
        assertThat(after.outcome()).isEqualTo(AuthThrottle.Outcome.DELAYED);
        assertThat(throttle.failures("carol")).isEqualTo(1);
    }
}

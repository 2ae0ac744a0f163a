package dev.tollgate.core.state;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** When an app password was last used and from which client address; immutable. */
public final class AppPasswordUse {
    private final Instant lastUsed;
    private final String lastAddress;

    /** @param lastUsed when; @param lastAddress the client address, or null when unknown */
    public AppPasswordUse(Instant lastUsed, String lastAddress) {
        this.lastUsed = Objects.requireNonNull(lastUsed, "lastUsed");
        this.lastAddress = lastAddress;
    }

    /** @return when it was last used */
    public Instant lastUsed() {
        return lastUsed;
    }

    /** @return the client address of the last use, empty when unknown */
    public Optional<String> lastAddress() {
        return Optional.ofNullable(lastAddress);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AppPasswordUse && ((AppPasswordUse) o).lastUsed.equals(lastUsed)
                && Objects.equals(((AppPasswordUse) o).lastAddress, lastAddress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lastUsed, lastAddress);
    }

    @Override
    public String toString() {
        return "AppPasswordUse[" + lastUsed + (lastAddress == null ? "" : " from " + lastAddress) + "]";
    }
}

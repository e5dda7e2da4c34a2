package io.jenkins.plugins.imagetrust.engine.policy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * When a trusted signer (a {@link TrustedKey} or a {@link TrustedIdentity}) counts: from {@code notBefore} (inclusive)
 * up to {@code notAfter} (exclusive), unless revoked. One rule for both, so that rotating a key and rotating an identity
 * read the same: the successor's {@code notBefore} equal to the predecessor's {@code notAfter} leaves no gap and no
 * overlap.
 *
 * <p>The window is judged at verification time, by the injected clock: a signature carries no time that is more
 * trustworthy than its signer (a timestamp inside the payload is signed by that same signer, so a stolen or retired
 * key could backdate it). Revocation is checked first: a revoked signer is revoked whatever its window says.
 *
 * <p>Not to be confused with a Sigstore trusted root's {@code validFor} windows, which are end-inclusive as the Sigstore
 * clients read them ({@code sigstore.TrustedRoot.Validity}).
 */
public record ValidityWindow(Optional<Instant> notBefore, Optional<Instant> notAfter, boolean revoked) {
    /** No bounds, not revoked. */
    public static final ValidityWindow ALWAYS = new ValidityWindow(Optional.empty(), Optional.empty(), false);

    /** Why a signer cannot count at a given instant. */
    public enum Problem {
        REVOKED,
        NOT_YET_VALID,
        EXPIRED
    }

    /** @throws IllegalArgumentException when {@code notBefore} is not before {@code notAfter}: nothing would count */
    public ValidityWindow {
        Objects.requireNonNull(notBefore);
        Objects.requireNonNull(notAfter);
        if (notBefore.isPresent() && notAfter.isPresent() && !notBefore.get().isBefore(notAfter.get())) {
            throw new IllegalArgumentException("notBefore " + notBefore.get() + " is not before notAfter " + notAfter.get()
                    + " (notAfter is exclusive): the window is empty");
        }
    }

    /** A window from nullable bounds, as builders hold them. */
    public static ValidityWindow of(Instant notBefore, Instant notAfter, boolean revoked) {
        return new ValidityWindow(Optional.ofNullable(notBefore), Optional.ofNullable(notAfter), revoked);
    }

    /** Why the signer cannot count at {@code now}, or empty if it can. Revocation wins over the window. */
    public Optional<Problem> problemAt(Instant now) {
        if (revoked) {
            return Optional.of(Problem.REVOKED);
        }
        if (notBefore.isPresent() && now.isBefore(notBefore.get())) {
            return Optional.of(Problem.NOT_YET_VALID);
        }
        if (notAfter.isPresent() && !now.isBefore(notAfter.get())) {
            return Optional.of(Problem.EXPIRED);
        }
        return Optional.empty();
    }

    /** For a report: {@code is revoked}, or {@code is valid FROM until TO (exclusive), and now is NOW}. */
    public String describeAt(Instant now) {
        if (revoked) {
            return "is revoked";
        }
        return "is valid from " + notBefore.map(Instant::toString).orElse("-∞") + " until "
                + notAfter.map(t -> t + " (exclusive)").orElse("∞") + ", and now is " + now;
    }

    /**
     * A bound as policy files and the Jenkins page write it: an RFC 3339 instant ({@code 2026-01-31T12:00:00Z}, any
     * offset) or a date ({@code 2026-01-31}), meaning its first instant in UTC.
     *
     * @throws IllegalArgumentException naming the text when it is neither
     */
    public static Instant parseTime(String text) {
        try {
            return text.length() == 10
                    ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is neither a date (2026-01-31) nor an RFC 3339 instant (2026-01-31T12:00:00Z)");
        }
    }
}

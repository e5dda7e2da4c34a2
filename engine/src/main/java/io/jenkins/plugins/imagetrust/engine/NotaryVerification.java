package io.jenkins.plugins.imagetrust.engine;

import io.jenkins.plugins.imagetrust.engine.notary.TargetResolution;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.verify.VerificationReport;
import java.util.Optional;

/**
 * What {@link NotaryVerifier} found: the digest Notary's verified trust data signs the tag to (and which role signed
 * it), and, when a cosign policy was also given, the normal verification of that digest.
 *
 * @param image the image as asked
 * @param resolution tag → digest, manifest length and signing role, from verified TUF metadata
 * @param cosignReport the cosign verification of that digest, or null when none was asked for
 */
public record NotaryVerification(ImageReference image, TargetResolution resolution, VerificationReport cosignReport) {

    public Optional<VerificationReport> cosign() {
        return Optional.ofNullable(cosignReport);
    }

    /** Notary signs the tag (else there would be no result) and the cosign policy, if any, is met. */
    public boolean trusted() {
        return cosignReport == null || cosignReport.trusted();
    }

    /** {@code registry/repository@digest} as Notary resolves the tag. */
    public String pinnedReference() {
        return image.repositoryOnly().withDigest(resolution.digest()).pinned();
    }

    /** One line: what Notary said and, if asked, what the cosign policy said. */
    public String summary() {
        return image + " is signed in Notary to " + resolution.digest() + " (" + resolution.length() + " bytes, role " + resolution.role() + ")"
                + (cosignReport == null ? "" : "; cosign: " + cosignReport.summary());
    }
}

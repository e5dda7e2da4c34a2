package io.jenkins.plugins.imagetrust.engine.notary.store;

import io.jenkins.plugins.imagetrust.engine.notary.MetadataNotFoundException;
import io.jenkins.plugins.imagetrust.engine.notary.MetadataTooLargeException;
import io.jenkins.plugins.imagetrust.engine.notary.NotaryException;

/**
 * Where a verifier gets Notary metadata from: the Notary server over HTTPS, or a folder of files.
 * Implementations do not verify anything; they only fetch, and never read past the cap.
 */
@FunctionalInterface
public interface MetadataFetcher {
    /**
     * The bytes of one metadata file.
     *
     * @param gun the repository, e.g. {@code registry.example/team/app}
     * @param name the role ({@code root}, {@code timestamp}) or a checksum name ({@code snapshot.<sha256 hex>},
     *     {@code targets/releases.<sha256 hex>}), without {@code .json}
     * @param maxBytes the most bytes to accept
     * @throws MetadataNotFoundException if there is no such file
     * @throws MetadataTooLargeException if the file has more than {@code maxBytes} bytes
     */
    byte[] fetch(String gun, String name, long maxBytes) throws NotaryException;
}

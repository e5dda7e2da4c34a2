package io.jenkins.plugins.imagetrust.engine.registry;

import io.jenkins.plugins.imagetrust.engine.http.HttpResult;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.util.List;

/**
 * Who is being asked what: registry, repository and operation, so every exception says where and what. Maps
 * unusable responses to the typed exceptions.
 */
record CallContext(String registry, String repository, String operation) {

    /** The typed exception for a response the operation cannot use (401, 403, 404, any other status). */
    RegistryErrorException unexpected(HttpResult response) {
        return unexpected(response, "unexpected answer");
    }

    RegistryErrorException unexpected(HttpResult response, String problem) {
        List<RegistryError> errors = ErrorBodies.parse(response.body());
        int status = response.statusCode();
        if (status == 401 || errors.stream().anyMatch(e -> e.code().equals("UNAUTHORIZED")) && status != 403) {
            return new RegistryUnauthorizedException(registry, repository, operation, status, errors,
                    "the registry requires credentials it did not get or did not accept");
        }
        if (status == 403 || errors.stream().anyMatch(e -> e.code().equals("DENIED"))) {
            return new RegistryDeniedException(registry, repository, operation, status, errors,
                    "the registry denied the operation");
        }
        return new RegistryErrorException(registry, repository, operation, status, errors, problem);
    }

    ManifestConflictException conflict(HttpResult response, String reference) {
        return new ManifestConflictException(registry, repository, operation, response.statusCode(),
                ErrorBodies.parse(response.body()), reference + " changed since it was read (the conditional write was refused)");
    }

    ManifestUnknownException manifestUnknown(HttpResult response, String reference) {
        return new ManifestUnknownException(registry, repository, operation, response.statusCode(),
                ErrorBodies.parse(response.body()), "no manifest " + reference);
    }

    BlobUnknownException blobUnknown(HttpResult response, Digest digest) {
        return new BlobUnknownException(registry, repository, operation, response.statusCode(),
                ErrorBodies.parse(response.body()), "no blob " + digest);
    }

    RegistryProtocolException protocol(String problem) {
        return new RegistryProtocolException(registry, repository, operation, problem);
    }

    DigestMismatchException mismatch(Digest expected, Digest actual, String what) {
        return new DigestMismatchException(registry, repository, operation, expected, actual, what);
    }

    /** A {@code Docker-Content-Digest} header as a digest, or a protocol error naming the bad value. */
    Digest parseDigestHeader(String value) throws RegistryProtocolException {
        try {
            return Digest.parse(value.strip());
        } catch (RuntimeException e) {
            throw protocol("malformed Docker-Content-Digest header: " + ErrorBodies.printable(value, 100));
        }
    }
}

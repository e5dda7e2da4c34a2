package io.jenkins.plugins.imagetrust.engine.sigstore;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;

/**
 * Who a Fulcio certificate names: its subject alternative name (a URI such as a GitHub workflow, or an e-mail
 * address), the OIDC issuer that vouched for it, and the other Fulcio extensions (fulcio {@code docs/oid-info.md}).
 * The issuer is read from the v2 extension ({@code 1.3.6.1.4.1.57264.1.8}, a DER UTF8String) and, for certificates
 * issued before it existed, from the v1 extension ({@code …1.1}, the raw string bytes); the v1 GitHub workflow
 * extensions ({@code …1.2} to {@code …1.6}) are read the same way.
 */
public record FulcioIdentity(Optional<String> subjectAlternativeName, Optional<String> issuer, Map<String, String> extensions) {
    static final String ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";
    static final String ISSUER_V2 = "1.3.6.1.4.1.57264.1.8";
    /** The v2 extensions (DER UTF8String values) a policy may name, by Fulcio's names. */
    private static final Map<String, String> V2_EXTENSIONS = orderedMap(
            "1.3.6.1.4.1.57264.1.9", "buildSignerURI",
            "1.3.6.1.4.1.57264.1.10", "buildSignerDigest",
            "1.3.6.1.4.1.57264.1.11", "runnerEnvironment",
            "1.3.6.1.4.1.57264.1.12", "sourceRepositoryURI",
            "1.3.6.1.4.1.57264.1.13", "sourceRepositoryDigest",
            "1.3.6.1.4.1.57264.1.14", "sourceRepositoryRef",
            "1.3.6.1.4.1.57264.1.15", "sourceRepositoryIdentifier",
            "1.3.6.1.4.1.57264.1.16", "sourceRepositoryOwnerURI",
            "1.3.6.1.4.1.57264.1.17", "sourceRepositoryOwnerIdentifier",
            "1.3.6.1.4.1.57264.1.18", "buildConfigURI",
            "1.3.6.1.4.1.57264.1.19", "buildConfigDigest",
            "1.3.6.1.4.1.57264.1.20", "buildTrigger",
            "1.3.6.1.4.1.57264.1.21", "runInvocationURI",
            "1.3.6.1.4.1.57264.1.22", "sourceRepositoryVisibilityAtSigning");
    /**
     * The deprecated v1 GitHub workflow extensions (raw string bytes), which cosign's
     * {@code --certificate-github-workflow-*} flags still check and Fulcio still issues for GitHub Actions.
     */
    private static final Map<String, String> V1_EXTENSIONS = orderedMap(
            "1.3.6.1.4.1.57264.1.2", "githubWorkflowTrigger",
            "1.3.6.1.4.1.57264.1.3", "githubWorkflowSha",
            "1.3.6.1.4.1.57264.1.4", "githubWorkflowName",
            "1.3.6.1.4.1.57264.1.5", "githubWorkflowRepository",
            "1.3.6.1.4.1.57264.1.6", "githubWorkflowRef");
    /** The names of the extensions read, in Fulcio's order. */
    static final List<String> EXTENSION_NAMES = java.util.stream.Stream.concat(V2_EXTENSIONS.values().stream(),
            V1_EXTENSIONS.values().stream()).toList();
    private static final int SAN_EMAIL = 1;
    private static final int SAN_URI = 6;
    private static final int MAX_VALUE_CHARS = 4096;

    public FulcioIdentity {
        extensions = Map.copyOf(extensions);
    }

    /** Reads the identity of {@code certificate}; absent or undecodable parts are empty, and then match no policy. */
    public static FulcioIdentity of(X509Certificate certificate) {
        Optional<String> issuer = utf8Extension(certificate, ISSUER_V2).or(() -> rawExtension(certificate, ISSUER_V1));
        Map<String, String> extensions = new LinkedHashMap<>();
        V2_EXTENSIONS.forEach((oid, name) -> utf8Extension(certificate, oid).ifPresent(v -> extensions.put(name, v)));
        V1_EXTENSIONS.forEach((oid, name) -> rawExtension(certificate, oid).ifPresent(v -> extensions.put(name, v)));
        return new FulcioIdentity(subjectAlternativeName(certificate), issuer, extensions);
    }

    private static Optional<String> subjectAlternativeName(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
        if (names == null) {
            return Optional.empty();
        }
        for (List<?> name : names) {
            Object type = name.get(0);
            if ((Integer.valueOf(SAN_URI).equals(type) || Integer.valueOf(SAN_EMAIL).equals(type)) && name.get(1) instanceof String) {
                return Optional.of((String) name.get(1));
            }
        }
        return Optional.empty();
    }

    /** The extension's value as a DER string type (the v2 extensions). */
    private static Optional<String> utf8Extension(X509Certificate certificate, String oid) {
        return extensionValue(certificate, oid).flatMap(value -> {
            try {
                ASN1Primitive primitive = ASN1Primitive.fromByteArray(value);
                return primitive instanceof ASN1String ? bounded(((ASN1String) primitive).getString()) : Optional.empty();
            } catch (java.io.IOException | RuntimeException e) {
                return Optional.empty();
            }
        });
    }

    /** The extension's value as raw UTF-8 bytes (the deprecated v1 extensions). */
    private static Optional<String> rawExtension(X509Certificate certificate, String oid) {
        return extensionValue(certificate, oid).flatMap(value -> bounded(new String(value, StandardCharsets.UTF_8)));
    }

    private static Optional<byte[]> extensionValue(X509Certificate certificate, String oid) {
        byte[] wrapped = certificate.getExtensionValue(oid);
        if (wrapped == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ASN1OctetString.getInstance(wrapped).getOctets());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> bounded(String value) {
        return value.length() <= MAX_VALUE_CHARS ? Optional.of(value) : Optional.empty();
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}

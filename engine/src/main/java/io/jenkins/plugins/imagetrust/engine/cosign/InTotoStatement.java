package io.jenkins.plugins.imagetrust.engine.cosign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.intoto.StatementDocument;
import io.jenkins.plugins.imagetrust.engine.intoto.Subject;
import io.jenkins.plugins.imagetrust.engine.json.MalformedDocumentException;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.signature.Claims;
import io.jenkins.plugins.imagetrust.engine.signature.MalformedSignatureException;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureCandidate;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The in-toto Statement a cosign 3 image signature bundle signs (cosign {@code cmd/cosign/cli/sign/sign.go},
 * {@code signDigestBundle}):
 *
 * <pre>{"_type":"https://in-toto.io/Statement/v1",
 *  "subject":[{"name":REPO,"digest":{"sha256":HEX},"annotations":{…}}],
 *  "predicateType":"https://sigstore.dev/cosign/sign/v1","predicate":{}}</pre>
 *
 * <p>cosign writes no subject {@code name}; we write the repository (as cosign's legacy {@code docker-reference}
 * does) so that the identity rule has something to check, which in-toto allows. The sign annotations go into the
 * subject's {@code annotations}, as cosign puts them. Parsing is strict (no duplicate members, nothing after the
 * object), because the same signed bytes must not mean two things to two readers.
 */
public final class InTotoStatement {
    /** The statement type cosign writes. */
    public static final String STATEMENT_TYPE = StatementDocument.TYPE_V1;
    /** The predicate type of a cosign image signature (cosign {@code pkg/types} {@code CosignSignPredicateType}). */
    public static final String COSIGN_SIGN_PREDICATE_TYPE = "https://sigstore.dev/cosign/sign/v1";
    private final String predicateType;
    private final List<Subject> subjects;

    private InTotoStatement(String predicateType, List<Subject> subjects) {
        this.predicateType = predicateType;
        this.subjects = List.copyOf(subjects);
    }

    /** The statement bytes to sign for {@code digest} in {@code repository}, with the annotations on the subject. */
    public static byte[] create(ImageReference repository, Digest digest, Map<String, String> annotations) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("_type", STATEMENT_TYPE);
        ObjectNode subject = root.putArray("subject").addObject();
        subject.put("name", repository.repositoryOnly().name());
        subject.putObject("digest").put(digest.algorithm(), digest.hex());
        ObjectNode subjectAnnotations = subject.putObject("annotations");
        new TreeMap<>(annotations).forEach(subjectAnnotations::put);
        root.put("predicateType", COSIGN_SIGN_PREDICATE_TYPE);
        root.putObject("predicate");
        try {
            return StrictJson.MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses a statement ({@link StatementDocument}'s strict reading, of type v1 as cosign writes it);
     * {@link MalformedSignatureException} with {@link RejectionReason#MALFORMED_BUNDLE} names the fault.
     */
    public static InTotoStatement parse(byte[] bytes) throws MalformedSignatureException {
        StatementDocument document;
        try {
            document = StatementDocument.parse(bytes);
        } catch (MalformedDocumentException e) {
            throw malformed(e.getMessage());
        }
        if (!STATEMENT_TYPE.equals(document.type())) {
            throw malformed("the statement's _type is '" + document.type() + "', not '" + STATEMENT_TYPE + "'");
        }
        return new InTotoStatement(document.predicateType(), document.subjects());
    }

    public String predicateType() {
        return predicateType;
    }

    public List<Subject> subjects() {
        return subjects;
    }

    /** The first subject that names {@code digest}. */
    public Optional<Subject> subjectFor(Digest digest) {
        return subjects.stream().filter(subject -> subject.names(digest)).findFirst();
    }

    /**
     * As a cosign image signature: the subject that names {@code digest}, or empty when the statement signs other
     * digests. The one reading of a statement that both verifying and signing (looking for an equivalent bundle) use.
     *
     * @throws MalformedSignatureException ({@code WRONG_PREDICATE_TYPE}) when the statement is not a cosign image signature,
     *     e.g. an SBOM or provenance attestation by the same key
     */
    public Optional<Subject> imageSignatureSubject(Digest digest) throws MalformedSignatureException {
        if (!COSIGN_SIGN_PREDICATE_TYPE.equals(predicateType)) {
            throw new MalformedSignatureException(RejectionReason.WRONG_PREDICATE_TYPE, "the statement's predicateType is '" + predicateType
                    + "', not '" + COSIGN_SIGN_PREDICATE_TYPE + "'");
        }
        return subjectFor(digest);
    }

    /**
     * A bundle's DSSE signature over {@code statement}: the signature is over {@code pae}, the statement's DSSE
     * pre-authentication encoding, and what the statement claims is read only once it verified.
     */
    public static SignatureCandidate candidate(String source, Digest bundleDigest, byte[] statement, byte[] pae, byte[] signature) {
        byte[] own = statement.clone();
        return SignatureCandidate.signed(SignatureFormat.BUNDLE, source, bundleDigest, pae, signature, image -> parse(own).claims(image));
    }

    /**
     * What this statement claims about {@code image}, the digest being verified, as a cosign image signature.
     *
     * @throws MalformedSignatureException ({@code WRONG_PREDICATE_TYPE}) when it is not a cosign image signature
     */
    public Claims claims(Digest image) throws MalformedSignatureException {
        Optional<Subject> subject = imageSignatureSubject(image);
        if (subject.isEmpty()) {
            List<String> named = new ArrayList<>();
            subjects.forEach(s -> s.digests().forEach((alg, hex) -> named.add(alg + ":" + hex)));
            return new Claims(false, "the statement's subjects are " + named, RejectionReason.SUBJECT_MISMATCH, Optional.empty(), Map.of());
        }
        return new Claims(true, "the statement names " + image, RejectionReason.SUBJECT_MISMATCH, subject.get().name(),
                subject.get().annotations());
    }

    private static MalformedSignatureException malformed(String message) {
        return new MalformedSignatureException(RejectionReason.MALFORMED_BUNDLE, message);
    }

}

package io.jenkins.plugins.imagetrust.engine.cosign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.signature.Claims;
import io.jenkins.plugins.imagetrust.engine.signature.MalformedSignatureException;
import io.jenkins.plugins.imagetrust.engine.signature.RejectionReason;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureCandidate;
import io.jenkins.plugins.imagetrust.engine.signature.SignatureFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
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
    public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    /** The predicate type of a cosign image signature (cosign {@code pkg/types} {@code CosignSignPredicateType}). */
    public static final String COSIGN_SIGN_PREDICATE_TYPE = "https://sigstore.dev/cosign/sign/v1";
    /** More subjects than this is not an image signature. */
    public static final int MAX_SUBJECTS = 100;

    /** One subject: its optional name, its digests by algorithm, its string annotations. */
    public record Subject(Optional<String> name, Map<String, String> digests, Map<String, String> annotations) {
        public Subject {
            digests = Map.copyOf(digests);
            annotations = Map.copyOf(annotations);
        }

        /** Whether one of the digests is {@code digest}. */
        public boolean names(Digest digest) {
            return digest.hex().equals(digests.get(digest.algorithm()));
        }
    }

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

    /** Parses a statement; {@link MalformedSignatureException} with {@link RejectionReason#MALFORMED_BUNDLE} names the fault. */
    public static InTotoStatement parse(byte[] bytes) throws MalformedSignatureException {
        JsonNode root;
        try {
            root = StrictJson.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw malformed("the statement is not JSON: " + StrictJson.firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw malformed("the statement is not a JSON object");
        }
        String type = root.path("_type").asText(null);
        if (!STATEMENT_TYPE.equals(type)) {
            throw malformed("the statement's _type is " + (type == null ? "missing" : "'" + type + "'") + ", not '" + STATEMENT_TYPE + "'");
        }
        JsonNode predicateType = root.get("predicateType");
        if (predicateType == null || !predicateType.isTextual()) {
            throw malformed("the statement has no predicateType string");
        }
        JsonNode subjectArray = root.get("subject");
        if (subjectArray == null || !subjectArray.isArray() || subjectArray.isEmpty()) {
            throw malformed("the statement has no subject");
        }
        if (subjectArray.size() > MAX_SUBJECTS) {
            throw malformed("the statement has " + subjectArray.size() + " subjects; at most " + MAX_SUBJECTS + " are read");
        }
        List<Subject> subjects = new ArrayList<>();
        for (JsonNode node : subjectArray) {
            subjects.add(subject(node));
        }
        return new InTotoStatement(predicateType.asText(), subjects);
    }

    private static Subject subject(JsonNode node) throws MalformedSignatureException {
        if (!node.isObject()) {
            throw malformed("a statement subject is not an object");
        }
        JsonNode name = node.get("name");
        if (name != null && !name.isTextual()) {
            throw malformed("a statement subject's name is not a string");
        }
        JsonNode digestNode = node.get("digest");
        if (digestNode == null || !digestNode.isObject() || digestNode.isEmpty()) {
            throw malformed("a statement subject has no digest");
        }
        Map<String, String> digests = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = digestNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isTextual()) {
                throw malformed("subject digest '" + entry.getKey() + "' is not a string");
            }
            digests.put(entry.getKey(), entry.getValue().asText());
        }
        Map<String, String> annotations = new TreeMap<>();
        JsonNode annotationNode = node.path("annotations");
        for (Iterator<Map.Entry<String, JsonNode>> it = annotationNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getValue().isTextual()) {
                annotations.put(entry.getKey(), entry.getValue().asText());
            }
        }
        return new Subject(name == null ? Optional.empty() : Optional.of(name.asText()), digests, annotations);
    }

    public String predicateType() {
        return predicateType;
    }

    public List<Subject> subjects() {
        return subjects;
    }

    /** The first subject that names {@code digest}. */
    public Optional<Subject> subjectFor(Digest digest) {
        return subjects.stream().filter(s -> s.names(digest)).findFirst();
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

package io.jenkins.plugins.imagetrust.engine.attestation;

import io.jenkins.plugins.imagetrust.engine.json.JsonText;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import io.jenkins.plugins.imagetrust.engine.provenance.PredicateTypes;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An in-toto Statement (in-toto/attestation {@code spec/v1/statement.md}): the subjects an attestation is about, its
 * predicate type and its predicate. We write v1; we read v1 and v0.1, because {@code cosign attest} writes
 * {@code https://in-toto.io/Statement/v0.1} (cosign {@code pkg/cosign/attestation/attestation.go},
 * {@code in_toto.StatementInTotoV01}) with the same members.
 *
 * <p><b>Bytes written</b> ({@link #write}): UTF-8 JSON without any whitespace,
 * {@code {"_type":"https://in-toto.io/Statement/v1","subject":[{"name":NAME,"digest":{"sha256":HEX}},…],
 * "predicateType":URI,"predicate":{…}}}: members in that order (the proto field order cosign's protojson uses), the
 * subjects in the order given (a subject's {@code annotations}, when it has any, after {@code digest}, keys sorted), the predicate's members in the order of the given tree, numbers as the tree holds them,
 * strings with Jackson's escaping (quote, backslash and control characters escaped, everything else literal). One
 * input gives one byte sequence.
 *
 * <p><b>Reading</b> ({@link #parse}) is strict, because the same signed bytes must not mean two things to two readers:
 * duplicate members and anything after the object are errors, and every size is capped ({@link #MAX_BYTES},
 * {@link #MAX_SUBJECTS}, {@link #MAX_DIGESTS} per subject, nesting at most 64 deep). Unknown members are ignored, as
 * the in-toto parsing rules require.
 */
public final class Statement {
    /** The statement type we write. */
    public static final String TYPE_V1 = "https://in-toto.io/Statement/v1";
    /** The statement type cosign's {@code attest} writes; read, never written. */
    public static final String TYPE_V01 = "https://in-toto.io/Statement/v0.1";
    /** A statement larger than this is not read (an SBOM of a large image fits). */
    public static final int MAX_BYTES = 8 * 1024 * 1024;
    /** More subjects than this are not read (an index and its platform manifests fit). */
    public static final int MAX_SUBJECTS = 256;
    /** More digests than this in one subject are not read. */
    public static final int MAX_DIGESTS = 8;

    private static final Set<String> READABLE_TYPES = Set.of(TYPE_V1, TYPE_V01);

    /**
     * One subject: an optional name, its digests by algorithm (hex as written) and its string annotations (cosign's
     * image signature statement carries the sign annotations there; members of other types are not kept).
     */
    public record Subject(Optional<String> name, Map<String, String> digests, Map<String, String> annotations) {
        public Subject {
            Objects.requireNonNull(name, "name");
            digests = Map.copyOf(new TreeMap<>(digests));
            annotations = Map.copyOf(annotations);
            if (digests.isEmpty()) {
                throw new IllegalArgumentException("a statement subject needs a digest");
            }
        }

        /** A subject without annotations. */
        public Subject(Optional<String> name, Map<String, String> digests) {
            this(name, digests, Map.of());
        }

        /** The subject for {@code digest} in {@code image}'s repository, named as cosign names it: the repository, no tag. */
        public static Subject of(ImageReference image, Digest digest) {
            return new Subject(Optional.of(image.repositoryOnly().name()), Map.of(digest.algorithm(), digest.hex()));
        }

        /** Whether one of the digests is {@code digest}. */
        public boolean names(Digest digest) {
            return digest.hex().equals(digests.get(digest.algorithm()));
        }
    }

    private final String type;
    private final List<Subject> subjects;
    private final String predicateType;
    private final ObjectNode predicate;

    private Statement(String type, List<Subject> subjects, String predicateType, ObjectNode predicate) {
        this.type = type;
        this.subjects = List.copyOf(subjects);
        this.predicateType = predicateType;
        this.predicate = predicate;
    }

    /**
     * The subjects of an attestation about an image index: the index first, then each platform manifest it lists, in
     * the order given, all named by the repository.
     */
    public static List<Subject> subjectsForIndex(ImageReference image, Digest index, List<Digest> manifests) {
        List<Subject> subjects = new ArrayList<>();
        subjects.add(Subject.of(image, index));
        manifests.forEach(manifest -> subjects.add(Subject.of(image, manifest)));
        return subjects;
    }

    /**
     * The statement bytes (see the class comment for the byte rules). What is written always parses back
     * ({@link #parse}) to the same facts: a predicate too large or too deep for a reader is refused here.
     *
     * @param predicateType an absolute URI (resolve cosign's short names first with {@link PredicateTypes#resolve})
     * @param predicate a JSON object
     * @throws IllegalArgumentException naming what is wrong
     */
    public static byte[] write(List<Subject> subjects, String predicateType, JsonNode predicate) {
        if (subjects.isEmpty() || subjects.size() > MAX_SUBJECTS) {
            throw new IllegalArgumentException("a statement needs 1 to " + MAX_SUBJECTS + " subjects, not " + subjects.size());
        }
        if (!PredicateTypes.resolve(predicateType).equals(predicateType)) {
            throw new IllegalArgumentException("predicate type " + JsonText.quoted(predicateType) + " is a short name; write its URI "
                    + PredicateTypes.resolve(predicateType));
        }
        if (predicate == null || !predicate.isObject()) {
            throw new IllegalArgumentException("the predicate must be a JSON object");
        }
        ObjectNode root = tree(TYPE_V1, subjects, predicateType, predicate);
        byte[] bytes;
        try {
            bytes = JsonMappers.attestations().writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the predicate cannot be written: " + e.getOriginalMessage(), e);
        }
        try {
            parse(bytes);
        } catch (AttestationException e) {
            throw new IllegalArgumentException("the statement would not be readable: " + e.getMessage(), e);
        }
        return bytes;
    }

    private static ObjectNode tree(String type, List<Subject> subjects, String predicateType, JsonNode predicate) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("_type", type);
        ArrayNode subjectArray = root.putArray("subject");
        for (Subject subject : subjects) {
            ObjectNode node = subjectArray.addObject();
            subject.name().ifPresent(name -> node.put("name", name));
            ObjectNode digests = node.putObject("digest");
            subject.digests().forEach(digests::put);
            if (!subject.annotations().isEmpty()) {
                ObjectNode annotations = node.putObject("annotations");
                new TreeMap<>(subject.annotations()).forEach(annotations::put);
            }
        }
        root.put("predicateType", predicateType);
        root.set("predicate", predicate);
        return root;
    }

    /** The statement as a JSON tree, in the member order {@link #write} uses (its {@code _type} as read), for reports. */
    public ObjectNode toJsonTree() {
        return tree(type, subjects, predicateType, predicate.deepCopy());
    }

    /**
     * Reads a predicate file (an SBOM, a provenance predicate made elsewhere) as strictly as a statement: one JSON
     * object, no duplicate member, numbers exact, at most {@link #MAX_BYTES} and 64 levels deep.
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    public static ObjectNode readPredicate(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("the predicate has " + bytes.length + " bytes; at most " + MAX_BYTES + " are accepted");
        }
        JsonNode node;
        try {
            node = JsonMappers.attestations().readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("the predicate is not JSON: " + oneLine(e));
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the predicate is not a JSON object");
        }
        return (ObjectNode) node;
    }

    /** Parses statement bytes; {@link AttestationReason#STATEMENT_MALFORMED} with a one-line message names the fault. */
    public static Statement parse(byte[] bytes) throws AttestationException {
        if (bytes.length > MAX_BYTES) {
            throw malformed("the statement has " + bytes.length + " bytes; at most " + MAX_BYTES + " are read");
        }
        JsonNode root;
        try {
            root = JsonMappers.attestations().readTree(bytes);
        } catch (IOException e) {
            throw malformed("the statement is not JSON: " + oneLine(e));
        }
        if (root == null || !root.isObject()) {
            throw malformed("the statement is not a JSON object");
        }
        JsonNode type = root.get("_type");
        if (type == null || !type.isTextual() || !READABLE_TYPES.contains(type.asText())) {
            throw malformed("the statement's _type is " + (type == null ? "missing" : type.toString()) + ", not " + TYPE_V1 + " or "
                    + TYPE_V01);
        }
        JsonNode predicateType = root.get("predicateType");
        if (predicateType == null || !predicateType.isTextual() || predicateType.asText().isEmpty()) {
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
        JsonNode predicate = root.get("predicate");
        if (predicate != null && !predicate.isObject()) {
            throw malformed("the statement's predicate is not a JSON object");
        }
        return new Statement(type.asText(), subjects, predicateType.asText(),
                predicate == null ? JsonNodeFactory.instance.objectNode() : (ObjectNode) predicate);
    }

    private static Subject subject(JsonNode node) throws AttestationException {
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
        if (digestNode.size() > MAX_DIGESTS) {
            throw malformed("a statement subject has " + digestNode.size() + " digests; at most " + MAX_DIGESTS + " are read");
        }
        Map<String, String> digests = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = digestNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isTextual() || entry.getValue().asText().isEmpty()) {
                throw malformed("subject digest " + JsonText.quoted(entry.getKey()) + " is not a non-empty string");
            }
            digests.put(entry.getKey(), entry.getValue().asText());
        }
        Map<String, String> annotations = new TreeMap<>();
        JsonNode annotationNode = node.get("annotations");
        if (annotationNode != null && !annotationNode.isObject()) {
            throw malformed("a statement subject's annotations are not an object");
        }
        if (annotationNode != null) {
            annotationNode.fields().forEachRemaining(entry -> {
                if (entry.getValue().isTextual()) {
                    annotations.put(entry.getKey(), entry.getValue().asText());
                }
            });
        }
        return new Subject(name == null ? Optional.empty() : Optional.of(name.asText()), digests, annotations);
    }

    static String oneLine(IOException e) {
        String message = e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage() : e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    private static AttestationException malformed(String message) {
        return new AttestationException(AttestationReason.STATEMENT_MALFORMED, message);
    }

    /** {@link #TYPE_V1} or {@link #TYPE_V01}. */
    public String type() {
        return type;
    }

    public List<Subject> subjects() {
        return subjects;
    }

    public String predicateType() {
        return predicateType;
    }

    /** A copy of the predicate (an empty object when the statement has none). */
    public ObjectNode predicate() {
        return predicate.deepCopy();
    }

    /** Whether a subject names {@code digest}. */
    public boolean names(Digest digest) {
        return subjects.stream().anyMatch(subject -> subject.names(digest));
    }

    @Override
    public String toString() {
        return "Statement[" + predicateType + ", " + subjects.size() + " subject(s)]";
    }
}

package io.jenkins.plugins.imagetrust.engine.attestation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.intoto.StatementDocument;
import io.jenkins.plugins.imagetrust.engine.intoto.Subject;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import io.jenkins.plugins.imagetrust.engine.json.JsonText;
import io.jenkins.plugins.imagetrust.engine.json.MalformedDocumentException;
import io.jenkins.plugins.imagetrust.engine.provenance.PredicateTypes;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
 * <p><b>Reading</b> ({@link #parse}) is {@link StatementDocument}'s, the one strict reading of statements.
 */
public final class Statement {
    /** The statement type we write. */
    public static final String TYPE_V1 = StatementDocument.TYPE_V1;
    /** The statement type cosign's {@code attest} writes; read, never written. */
    public static final String TYPE_V01 = StatementDocument.TYPE_V01;
    /** A statement larger than this is not read (an SBOM of a large image fits). */
    public static final int MAX_BYTES = StatementDocument.MAX_BYTES;
    /** More subjects than this are not read (an index and its platform manifests fit). */
    public static final int MAX_SUBJECTS = StatementDocument.MAX_SUBJECTS;

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
            throw new IllegalArgumentException("the predicate is not JSON: " + StatementDocument.oneLine(e));
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the predicate is not a JSON object");
        }
        return (ObjectNode) node;
    }

    /** Parses statement bytes; {@link AttestationReason#STATEMENT_MALFORMED} with a one-line message names the fault. */
    public static Statement parse(byte[] bytes) throws AttestationException {
        StatementDocument document;
        try {
            document = StatementDocument.parse(bytes);
        } catch (MalformedDocumentException e) {
            throw malformed(e.getMessage());
        }
        return new Statement(document.type(), document.subjects(), document.predicateType(), document.predicate());
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

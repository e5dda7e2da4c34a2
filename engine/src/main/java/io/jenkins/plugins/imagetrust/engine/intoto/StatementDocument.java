package io.jenkins.plugins.imagetrust.engine.intoto;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import io.jenkins.plugins.imagetrust.engine.json.JsonText;
import io.jenkins.plugins.imagetrust.engine.json.MalformedDocumentException;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one reading of in-toto statement bytes (in-toto/attestation {@code spec/v1/statement.md}), for every statement
 * we read: cosign 3's image signature statements inside bundles and the attestations of {@code .att} layers and
 * bundles. What a statement means (a signature, an attestation) is its readers' business; this checks its shape.
 *
 * <p>Strict, because the same signed bytes must not mean two things to two readers: duplicate members and anything
 * after the object are errors, and every size is capped ({@link #MAX_BYTES}, {@link #MAX_SUBJECTS}, {@link #MAX_DIGESTS}
 * per subject, nesting at most 64 deep). Unknown members are ignored, as the in-toto parsing rules require.
 */
public record StatementDocument(String type, List<Subject> subjects, String predicateType, ObjectNode predicate) {
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

    public StatementDocument {
        subjects = List.copyOf(subjects);
    }

    /**
     * Parses statement bytes of type {@link #TYPE_V1} or {@link #TYPE_V01}.
     *
     * @throws MalformedDocumentException with a one-line message naming the fault
     */
    public static StatementDocument parse(byte[] bytes) throws MalformedDocumentException {
        if (bytes.length > MAX_BYTES) {
            throw new MalformedDocumentException("the statement has " + bytes.length + " bytes; at most " + MAX_BYTES + " are read");
        }
        JsonNode root;
        try {
            root = JsonMappers.attestations().readTree(bytes);
        } catch (IOException e) {
            throw new MalformedDocumentException("the statement is not JSON: " + oneLine(e));
        }
        if (root == null || !root.isObject()) {
            throw new MalformedDocumentException("the statement is not a JSON object");
        }
        JsonNode type = root.get("_type");
        if (type == null || !type.isTextual() || !READABLE_TYPES.contains(type.asText())) {
            throw new MalformedDocumentException("the statement's _type is " + (type == null ? "missing" : type.toString()) + ", not "
                    + TYPE_V1 + " or " + TYPE_V01);
        }
        JsonNode predicateType = root.get("predicateType");
        if (predicateType == null || !predicateType.isTextual() || predicateType.asText().isEmpty()) {
            throw new MalformedDocumentException("the statement has no predicateType string");
        }
        JsonNode subjectArray = root.get("subject");
        if (subjectArray == null || !subjectArray.isArray() || subjectArray.isEmpty()) {
            throw new MalformedDocumentException("the statement has no subject");
        }
        if (subjectArray.size() > MAX_SUBJECTS) {
            throw new MalformedDocumentException("the statement has " + subjectArray.size() + " subjects; at most " + MAX_SUBJECTS
                    + " are read");
        }
        List<Subject> subjects = new ArrayList<>();
        for (JsonNode node : subjectArray) {
            subjects.add(subject(node));
        }
        JsonNode predicate = root.get("predicate");
        if (predicate != null && !predicate.isObject()) {
            throw new MalformedDocumentException("the statement's predicate is not a JSON object");
        }
        return new StatementDocument(type.asText(), subjects, predicateType.asText(),
                predicate == null ? JsonNodeFactory.instance.objectNode() : (ObjectNode) predicate);
    }

    private static Subject subject(JsonNode node) throws MalformedDocumentException {
        if (!node.isObject()) {
            throw new MalformedDocumentException("a statement subject is not an object");
        }
        JsonNode name = node.get("name");
        if (name != null && !name.isTextual()) {
            throw new MalformedDocumentException("a statement subject's name is not a string");
        }
        JsonNode digestNode = node.get("digest");
        if (digestNode == null || !digestNode.isObject() || digestNode.isEmpty()) {
            throw new MalformedDocumentException("a statement subject has no digest");
        }
        if (digestNode.size() > MAX_DIGESTS) {
            throw new MalformedDocumentException("a statement subject has " + digestNode.size() + " digests; at most " + MAX_DIGESTS
                    + " are read");
        }
        Map<String, String> digests = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = digestNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isTextual() || entry.getValue().asText().isEmpty()) {
                throw new MalformedDocumentException("subject digest " + JsonText.quoted(entry.getKey()) + " is not a non-empty string");
            }
            digests.put(entry.getKey(), entry.getValue().asText());
        }
        JsonNode annotationNode = node.get("annotations");
        if (annotationNode != null && !annotationNode.isObject()) {
            throw new MalformedDocumentException("a statement subject's annotations are not an object");
        }
        Map<String, String> annotations = new TreeMap<>();
        if (annotationNode != null) {
            annotationNode.fields().forEachRemaining(entry -> {
                if (entry.getValue().isTextual()) {
                    annotations.put(entry.getKey(), entry.getValue().asText());
                }
            });
        }
        return new Subject(name == null ? Optional.empty() : Optional.of(name.asText()), digests, annotations);
    }

    /** The first subject that names {@code digest}. */
    public Optional<Subject> subjectFor(Digest digest) {
        return subjects.stream().filter(s -> s.names(digest)).findFirst();
    }

    /** A parser's message on one line, without Jackson's source excerpt. */
    public static String oneLine(IOException e) {
        String message = e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage() : e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}

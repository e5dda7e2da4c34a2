package io.jenkins.plugins.imagetrust.engine.notary.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.imagetrust.engine.notary.CanonicalJson;
import io.jenkins.plugins.imagetrust.engine.notary.MalformedMetadataException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One metadata file as received: its exact bytes, the {@code signed} object, the canonical bytes the
 * signatures cover (re-canonicalised, as notary does), and the signatures. Typed views:
 * {@link RootMetadata#from}, {@link TargetsMetadata#from}, {@link SnapshotMetadata#from},
 * {@link TimestampMetadata#from}.
 */
public final class SignedMetadata {
    private final String role;
    private final byte[] raw;
    private final JsonNode signed;
    private final byte[] canonicalSigned;
    private final List<TufSignature> signatures;
    private final String type;
    private final long version;
    private final Instant expires;

    private SignedMetadata(String role, byte[] raw, JsonNode signed, byte[] canonicalSigned, List<TufSignature> signatures,
            String type, long version, Instant expires) {
        this.role = role;
        this.raw = raw;
        this.signed = signed;
        this.canonicalSigned = canonicalSigned;
        this.signatures = signatures;
        this.type = type;
        this.version = version;
        this.expires = expires;
    }

    /**
     * Parses a metadata file of {@code role}. The caller has already capped {@code raw}'s size.
     *
     * @throws MalformedMetadataException naming the role and what is wrong
     */
    public static SignedMetadata parse(String role, byte[] raw) throws MalformedMetadataException {
        JsonNode tree;
        try {
            tree = CanonicalJson.parse(raw);
        } catch (IOException e) {
            throw new MalformedMetadataException(role, "not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (tree == null || !tree.isObject()) {
            throw new MalformedMetadataException(role, "the file must be a JSON object");
        }
        JsonNode signed = JsonFields.object(tree, "signed", role);
        List<TufSignature> signatures = new ArrayList<>();
        for (JsonNode signature : JsonFields.array(tree, "signatures", role)) {
            signatures.add(TufSignature.fromJson(signature, role));
        }
        byte[] canonical;
        try {
            canonical = CanonicalJson.encode(signed);
        } catch (IllegalArgumentException e) {
            throw new MalformedMetadataException(role, e.getMessage());
        }
        return new SignedMetadata(role, raw.clone(), signed, canonical, List.copyOf(signatures),
                JsonFields.text(signed, "_type", role), JsonFields.natural(signed, "version", role), JsonFields.time(signed, "expires", role));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** Checks the {@code _type} member against what the role must be. */
    void requireType(String expected) throws MalformedMetadataException {
        if (!expected.equals(type)) {
            throw new MalformedMetadataException(role, "_type is '" + type + "', expected '" + expected + "'");
        }
    }

    public String role() {
        return role;
    }

    /** The exact bytes received (hash these, never a re-serialisation). */
    public byte[] raw() {
        return raw.clone();
    }

    public JsonNode signed() {
        return signed.deepCopy();
    }

    /** The bytes every signature must cover. */
    public byte[] canonicalSigned() {
        return canonicalSigned.clone();
    }

    public List<TufSignature> signatures() {
        return signatures;
    }

    public String type() {
        return type;
    }

    public long version() {
        return version;
    }

    public Instant expires() {
        return expires;
    }
}

package io.jenkins.plugins.imagetrust.engine.sigstore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A transparency-log checkpoint in the signed-note format (C2SP {@code signed-note} and {@code tlog-checkpoint}):
 *
 * <pre>origin\ntree size\nbase64 root hash\n[other lines\n]\n— name base64(key hint(4) ‖ signature)\n…</pre>
 *
 * The signatures are over the note text up to and including the newline before the blank line. A note may carry
 * several signatures (witness cosignatures, in any order); it is signed by a log when one signature whose key hint
 * is the log's verifies with the log's key.
 */
public final class Checkpoint {
    /** A checkpoint longer than this is not read. */
    public static final int MAX_CHARS = 64 * 1024;
    /** More signature lines than this is not a checkpoint. */
    public static final int MAX_SIGNATURES = 64;

    /** One signature line: the signer's name, the 4-byte key hint and the signature. */
    public record NoteSignature(String name, byte[] keyHint, byte[] signature) {
    }

    private final byte[] signedText;
    private final String origin;
    private final long treeSize;
    private final byte[] rootHash;
    private final List<NoteSignature> signatures;

    private Checkpoint(byte[] signedText, String origin, long treeSize, byte[] rootHash, List<NoteSignature> signatures) {
        this.signedText = signedText;
        this.origin = origin;
        this.treeSize = treeSize;
        this.rootHash = rootHash;
        this.signatures = List.copyOf(signatures);
    }

    /** Parses a signed note; {@link SigstoreReason#CHECKPOINT_INVALID} names what is wrong. */
    public static Checkpoint parse(String envelope) throws SigstoreException {
        if (envelope.length() > MAX_CHARS) {
            throw invalid("it has " + envelope.length() + " characters; at most " + MAX_CHARS + " are read");
        }
        int separator = envelope.indexOf("\n\n");
        if (separator < 0) {
            throw invalid("no blank line separates the note text from its signatures");
        }
        String text = envelope.substring(0, separator + 1);
        String[] lines = text.split("\n", -1);
        // lines ends with "" after the final newline: origin, size, root hash, then optional extension lines.
        if (lines.length < 4) {
            throw invalid("the note needs an origin, a tree size and a root hash line");
        }
        String origin = lines[0];
        if (origin.isEmpty()) {
            throw invalid("the origin line is empty");
        }
        long treeSize;
        try {
            treeSize = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw invalid("the tree size line '" + shorten(lines[1]) + "' is not a number");
        }
        if (treeSize < 0 || !lines[1].equals(Long.toString(treeSize))) {
            throw invalid("the tree size line '" + shorten(lines[1]) + "' is not a canonical non-negative number");
        }
        byte[] rootHash;
        try {
            rootHash = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw invalid("the root hash line is not base64");
        }
        if (rootHash.length != 32) {
            throw invalid("the root hash has " + rootHash.length + " bytes, not 32");
        }
        String signatureBlock = envelope.substring(separator + 2);
        List<NoteSignature> signatures = new ArrayList<>();
        for (String line : signatureBlock.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (signatures.size() == MAX_SIGNATURES) {
                throw invalid("more than " + MAX_SIGNATURES + " signature lines");
            }
            signatures.add(signature(line));
        }
        if (signatures.isEmpty()) {
            throw invalid("the note carries no signature");
        }
        return new Checkpoint(text.getBytes(StandardCharsets.UTF_8), origin, treeSize, rootHash, signatures);
    }

    private static NoteSignature signature(String line) throws SigstoreException {
        if (!line.startsWith("\u2014 ")) {
            throw invalid("a signature line does not start with an em dash and a space");
        }
        int space = line.lastIndexOf(' ');
        if (space <= 2) {
            throw invalid("a signature line has no signer name");
        }
        String name = line.substring(2, space);
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(line.substring(space + 1));
        } catch (IllegalArgumentException e) {
            throw invalid("the signature of '" + shorten(name) + "' is not base64");
        }
        if (decoded.length < 5) {
            throw invalid("the signature of '" + shorten(name) + "' is too short to hold a key hint and a signature");
        }
        return new NoteSignature(name, Arrays.copyOfRange(decoded, 0, 4), Arrays.copyOfRange(decoded, 4, decoded.length));
    }

    /**
     * Whether a signature whose key hint is the first four bytes of {@code log}'s id verifies over the note text
     * with the log's key (the hint only selects candidates; the key decides).
     */
    boolean signedBy(TrustedRoot.Log log) {
        byte[] hint = Arrays.copyOf(log.logId(), 4);
        for (NoteSignature signature : signatures) {
            if (Arrays.equals(hint, signature.keyHint()) && Signatures.verify(log.key(), signedText, signature.signature())) {
                return true;
            }
        }
        return false;
    }

    public String origin() {
        return origin;
    }

    public long treeSize() {
        return treeSize;
    }

    public byte[] rootHash() {
        return rootHash.clone();
    }

    public List<NoteSignature> signatures() {
        return signatures;
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    private static SigstoreException invalid(String message) {
        return new SigstoreException(SigstoreReason.CHECKPOINT_INVALID, "checkpoint: " + message);
    }
}

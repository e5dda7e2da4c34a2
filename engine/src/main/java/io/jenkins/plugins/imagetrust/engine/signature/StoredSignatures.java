package io.jenkins.plugins.imagetrust.engine.signature;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The signatures of one manifest, one per format written, in the order they were written.
 *
 * @param byFormat each format's confirmed signature
 */
public record StoredSignatures(Map<SignatureFormat, StoredSignature> byFormat) {
    public StoredSignatures {
        byFormat = Collections.unmodifiableMap(new LinkedHashMap<>(byFormat));
    }

    /** Keyed by their formats, in the order given. */
    public static StoredSignatures of(Collection<StoredSignature> stored) {
        Map<SignatureFormat, StoredSignature> byFormat = new LinkedHashMap<>();
        stored.forEach(signature -> byFormat.put(signature.format(), signature));
        return new StoredSignatures(byFormat);
    }

    /** Whether nothing was written: every format's signature was already there. */
    public boolean alreadyPresent() {
        return byFormat.values().stream().allMatch(StoredSignature::alreadyPresent);
    }

    /** The signature in {@code format} as its storage reports it, when that format was written. */
    public <S extends StoredSignature> Optional<S> get(SignatureFormat format, Class<S> type) {
        return Optional.ofNullable(byFormat.get(format)).map(type::cast);
    }

    /** Each format's {@link StoredSignature#describe()}, joined: {@code legacy sha256-….sig, bundle referrer …}. */
    public String describe() {
        List<String> out = new ArrayList<>();
        byFormat.values().forEach(signature -> out.add(signature.describe()));
        return String.join(", ", out);
    }
}

package io.jenkins.plugins.imagetrust.engine.keys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Where a PKCS#11 key lives: the module (the vendor's {@code .so}), the slot (by slot id, or by index in the
 * module's slot list; index 0 when neither is given) and the key (by label, by CKA_ID, or the token's only key).
 * The PIN is not part of the configuration: it is passed to {@link Pkcs11Signer#open} and cleared there.
 *
 * <p>SunPKCS11 cannot select a token by its label, and names keys by the label (or, without one, the hex CKA_ID)
 * of the certificate stored beside them; see {@code docs/keys.md}.
 */
public final class Pkcs11Config {
    private final Path module;
    private final Long slotId;
    private final Integer slotListIndex;
    private final String keyLabel;
    private final byte[] keyId;

    private Pkcs11Config(Builder builder) {
        this.module = builder.module;
        this.slotId = builder.slotId;
        this.slotListIndex = builder.slotListIndex;
        this.keyLabel = builder.keyLabel;
        this.keyId = builder.keyId;
    }

    /** A configuration for the PKCS#11 module at {@code module} (an absolute path to a shared library). */
    public static Builder builder(Path module) {
        return new Builder(module);
    }

    public Path module() {
        return module;
    }

    public OptionalLong slotId() {
        return slotId == null ? OptionalLong.empty() : OptionalLong.of(slotId);
    }

    /** The slot's index in the module's slot list; 0 when no slot id is set either. */
    public OptionalInt slotListIndex() {
        return slotListIndex == null ? OptionalInt.empty() : OptionalInt.of(slotListIndex);
    }

    public Optional<String> keyLabel() {
        return Optional.ofNullable(keyLabel);
    }

    /** The key's CKA_ID as lowercase hex. */
    public Optional<String> keyId() {
        return keyId == null ? Optional.empty() : Optional.of(HexFormat.of().formatHex(keyId));
    }

    byte[] keyIdBytes() {
        return keyId == null ? null : keyId.clone();
    }

    /** Where the slot is, for messages: "slot 123" or "slot list index 0". */
    String slotDescription() {
        return slotId != null ? "slot " + slotId : "slot list index " + (slotListIndex == null ? 0 : slotListIndex);
    }

    /** The SunPKCS11 configuration text (the inline {@code --} form). */
    String sunPkcs11Text() {
        StringBuilder text = new StringBuilder("--name = ImageTrust\n");
        text.append("library = \"").append(module).append("\"\n");
        if (slotId != null) {
            text.append("slot = ").append(slotId).append('\n');
        } else {
            text.append("slotListIndex = ").append(slotListIndex == null ? 0 : slotListIndex).append('\n');
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return "PKCS#11 module " + module + ", " + slotDescription()
                + keyLabel().map(l -> ", key label '" + l + "'").orElse("")
                + keyId().map(id -> ", key id " + id).orElse("");
    }

    /** Builds a {@link Pkcs11Config}; {@link #build()} checks it. */
    public static final class Builder {
        private final Path module;
        private Long slotId;
        private Integer slotListIndex;
        private String keyLabel;
        private byte[] keyId;

        private Builder(Path module) {
            this.module = Objects.requireNonNull(module, "module");
        }

        /** The slot id the module reports (SoftHSM prints it at {@code --init-token}; it changes with every init). */
        public Builder slotId(long slotId) {
            this.slotId = slotId;
            return this;
        }

        /** The slot's position in the module's slot list (0 is the first). */
        public Builder slotListIndex(int index) {
            this.slotListIndex = index;
            return this;
        }

        /** The key's label (the label of the certificate stored with it). */
        public Builder keyLabel(String label) {
            this.keyLabel = label;
            return this;
        }

        /** The key's CKA_ID in hex, as {@code pkcs11-tool --id} takes it (e.g. {@code 01}). */
        public Builder keyId(String hex) throws KeyException {
            try {
                this.keyId = hex == null ? null : HexFormat.of().parseHex(hex.trim().toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new KeyException("the PKCS#11 key id must be hex digits (like 01 or a1b2), not '" + hex + "'");
            }
            return this;
        }

        public Pkcs11Config build() throws KeyException {
            if (!module.isAbsolute()) {
                throw new KeyException("the PKCS#11 module path must be absolute: " + module);
            }
            String text = module.toString();
            if (text.contains("\"") || text.contains("\\") || text.contains("$") || text.contains("\n")) {
                throw new KeyException("the PKCS#11 module path contains a character SunPKCS11 cannot take (\" \\ $ or a line break): " + module);
            }
            if (!Files.isRegularFile(module) || !Files.isReadable(module)) {
                throw new KeyException("the PKCS#11 module " + module + " does not exist or is not a readable file");
            }
            if (slotId != null && slotListIndex != null) {
                throw new KeyException("give either a PKCS#11 slot id or a slot list index, not both");
            }
            if (slotListIndex != null && slotListIndex < 0) {
                throw new KeyException("the PKCS#11 slot list index must be 0 or more, not " + slotListIndex);
            }
            if (keyLabel != null && keyId != null) {
                throw new KeyException("give either a PKCS#11 key label or a key id, not both");
            }
            if (keyLabel != null && keyLabel.isBlank()) {
                throw new KeyException("the PKCS#11 key label is blank");
            }
            if (keyId != null && keyId.length == 0) {
                throw new KeyException("the PKCS#11 key id is empty");
            }
            return new Pkcs11Config(this);
        }
    }
}

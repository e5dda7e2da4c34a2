package io.jenkins.plugins.imagetrust.engine.keys;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A PKCS#11 key named by an RFC 7512 URI, the form cosign takes:
 * {@code pkcs11:slot-id=0;object=release?module-path=/usr/lib/softhsm/libsofthsm2.so}.
 *
 * <p>Understood: {@code slot-id}, {@code object} (the key's label), {@code id} (its CKA_ID, percent-encoded bytes),
 * {@code module-path} (required) and {@code pin-source} (a file holding the PIN). A PIN written into the URI
 * ({@code pin-value}) is refused: the URI appears in command lines and logs. Selecting a token by label is refused
 * too, because the JDK's PKCS#11 provider can only select a slot.
 */
public final class Pkcs11Uri {
    private static final Set<String> PATH_ATTRIBUTES = Set.of("slot-id", "object", "id", "type", "token");
    private static final Set<String> QUERY_ATTRIBUTES = Set.of("module-path", "pin-source", "pin-value");

    private final Pkcs11Config config;
    private final Path pinSource;

    private Pkcs11Uri(Pkcs11Config config, Path pinSource) {
        this.config = config;
        this.pinSource = pinSource;
    }

    /** Whether {@code text} is meant as a PKCS#11 URI rather than a key file. */
    public static boolean isPkcs11Uri(String text) {
        return text != null && text.startsWith("pkcs11:");
    }

    public static Pkcs11Uri parse(String uri) throws KeyException {
        if (!isPkcs11Uri(uri)) {
            throw new KeyException("a PKCS#11 URI starts with 'pkcs11:'");
        }
        String rest = uri.substring("pkcs11:".length());
        int question = rest.indexOf('?');
        Map<String, String> path = attributes(question < 0 ? rest : rest.substring(0, question), ';', PATH_ATTRIBUTES, "path");
        Map<String, String> query = attributes(question < 0 ? "" : rest.substring(question + 1), '&', QUERY_ATTRIBUTES, "query");
        if (query.containsKey("pin-value")) {
            throw new KeyException("the PKCS#11 URI holds a PIN (pin-value): refused, because URIs end up in command lines"
                    + " and logs; give the PIN through pin-source=<file> or the caller's PIN setting");
        }
        if (path.containsKey("token")) {
            throw new KeyException("the PKCS#11 URI selects a token by label ('token'), which the JDK's PKCS#11 provider"
                    + " cannot do; select its slot with slot-id=<n> (softhsm2-util --show-slots, pkcs11-tool -L)");
        }
        if (path.containsKey("type") && !path.get("type").equals("private")) {
            throw new KeyException("the PKCS#11 URI names an object of type '" + path.get("type") + "'; a signing key is type=private");
        }
        String module = query.get("module-path");
        if (module == null) {
            throw new KeyException("the PKCS#11 URI needs module-path=<the PKCS#11 library>, e.g. /usr/lib/softhsm/libsofthsm2.so");
        }
        Pkcs11Config.Builder builder = Pkcs11Config.builder(Path.of(module));
        if (path.containsKey("slot-id")) {
            try {
                builder.slotId(Long.parseLong(path.get("slot-id")));
            } catch (NumberFormatException e) {
                throw new KeyException("the PKCS#11 URI's slot-id is not a number: '" + path.get("slot-id") + "'");
            }
        } else {
            builder.slotListIndex(0);
        }
        if (path.containsKey("object")) {
            builder.keyLabel(path.get("object"));
        }
        if (path.containsKey("id")) {
            builder.keyId(HexFormat.of().formatHex(path.get("id").getBytes(StandardCharsets.ISO_8859_1)));
        }
        Path pinSource = query.containsKey("pin-source") ? Path.of(stripFileScheme(query.get("pin-source"))) : null;
        return new Pkcs11Uri(builder.build(), pinSource);
    }

    public Pkcs11Config config() {
        return config;
    }

    /** The file that holds the PIN, when the URI names one. */
    public Optional<Path> pinSource() {
        return Optional.ofNullable(pinSource);
    }

    private static String stripFileScheme(String source) {
        return source.startsWith("file:") ? source.substring("file:".length()) : source;
    }

    private static Map<String, String> attributes(String text, char separator, Set<String> known, String part) throws KeyException {
        Map<String, String> out = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return out;
        }
        for (String pair : text.split(Pattern.quote(String.valueOf(separator)), -1)) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new KeyException("the PKCS#11 URI's " + part + " has a malformed attribute '" + pair + "' (expected name=value)");
            }
            String name = pair.substring(0, equals);
            if (!known.contains(name)) {
                throw new KeyException("the PKCS#11 URI's " + part + " attribute '" + name + "' is not supported (supported: " + known + ")");
            }
            if (out.put(name, percentDecode(pair.substring(equals + 1), name)) != null) {
                throw new KeyException("the PKCS#11 URI names '" + name + "' twice");
            }
        }
        return out;
    }

    /** RFC 7512 values are percent-encoded bytes; kept as ISO-8859-1 so that {@code id} keeps its raw bytes. */
    private static String percentDecode(String value, String name) throws KeyException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= value.length()) {
                    throw new KeyException("the PKCS#11 URI attribute '" + name + "' has a truncated %-escape");
                }
                try {
                    out.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
                } catch (NumberFormatException e) {
                    throw new KeyException("the PKCS#11 URI attribute '" + name + "' has a malformed %-escape");
                }
                i += 2;
            } else {
                out.write(c);
            }
        }
        String decoded = out.toString(StandardCharsets.ISO_8859_1);
        return name.equals("id") ? decoded : new String(out.toByteArray(), StandardCharsets.UTF_8);
    }
}

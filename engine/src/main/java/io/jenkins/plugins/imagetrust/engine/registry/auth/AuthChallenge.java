package io.jenkins.plugins.imagetrust.engine.registry.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 7235): a scheme, lower-cased, and its parameters
 * (names lower-cased, values unquoted). One header may hold several challenges
 * ({@code Bearer realm="…",service="…", Basic realm="…"}); quoted values may hold commas and escaped quotes.
 *
 * @param scheme the scheme in lower case: {@code bearer}, {@code basic}
 * @param params the parameters in order of appearance
 */
public record AuthChallenge(String scheme, Map<String, String> params) {
    private static final int MAX_HEADER_CHARS = 8192;

    public AuthChallenge {
        scheme = scheme.toLowerCase(Locale.ROOT);
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public boolean isBearer() {
        return scheme.equals("bearer");
    }

    public boolean isBasic() {
        return scheme.equals("basic");
    }

    /** A parameter by case-insensitive name. */
    public Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Every challenge in every given header value, in order; unparseable pieces are skipped. */
    public static List<AuthChallenge> parseAll(List<String> headerValues) {
        List<AuthChallenge> all = new ArrayList<>();
        for (String value : headerValues) {
            all.addAll(parse(value));
        }
        return all;
    }

    /** The challenges of one header value. Overlong values are cut at 8192 characters. */
    public static List<AuthChallenge> parse(String headerValue) {
        String text = headerValue.length() > MAX_HEADER_CHARS ? headerValue.substring(0, MAX_HEADER_CHARS) : headerValue;
        Parser parser = new Parser(text);
        List<AuthChallenge> challenges = new ArrayList<>();
        while (parser.skipSeparators()) {
            String scheme = parser.token();
            if (scheme.isEmpty()) {
                parser.pos++; // a stray character: skip it rather than loop
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            while (true) {
                parser.skipSpaces();
                int start = parser.pos;
                String name = parser.token();
                parser.skipSpaces();
                if (name.isEmpty() || !parser.consume('=')) {
                    parser.pos = start; // the next challenge's scheme (or a token68): not a parameter
                    break;
                }
                parser.skipSpaces();
                params.put(name.toLowerCase(Locale.ROOT), parser.value());
                parser.skipSpaces();
                if (!parser.consume(',')) {
                    break;
                }
            }
            if (params.isEmpty()) {
                parser.skipToken68();
            }
            challenges.add(new AuthChallenge(scheme, params));
        }
        return challenges;
    }

    /** A tiny cursor over the header text. */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        /** Skips white space and commas; whether anything is left. */
        boolean skipSeparators() {
            while (pos < text.length() && (text.charAt(pos) == ',' || Character.isWhitespace(text.charAt(pos)))) {
                pos++;
            }
            return pos < text.length();
        }

        void skipSpaces() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        boolean consume(char expected) {
            if (pos < text.length() && text.charAt(pos) == expected) {
                pos++;
                return true;
            }
            return false;
        }

        String token() {
            int start = pos;
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (Character.isWhitespace(c) || c == ',' || c == '=' || c == '"') {
                    break;
                }
                pos++;
            }
            return text.substring(start, pos);
        }

        /** A quoted string (backslash escapes honoured, an unterminated one runs to the end) or a bare token. */
        String value() {
            if (!consume('"')) {
                return token();
            }
            StringBuilder out = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\' && pos < text.length()) {
                    c = text.charAt(pos++);
                }
                out.append(c);
            }
            return out.toString();
        }

        /** Skips a token68 blob ({@code abc==}) that may follow a scheme without parameters. */
        void skipToken68() {
            skipSpaces();
            token();
            while (consume('=')) {
                skipSpaces();
            }
        }
    }
}

package io.jenkins.plugins.imagetrust.engine.http;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code rel="next"} target of an RFC 8288 {@code Link} header, as the distribution API uses it for
 * pagination: {@code </v2/name/tags/list?n=2&last=b>; rel="next"}. Several links may share one header, separated
 * by commas outside the angle brackets; {@code rel} may be quoted, bare, or hold several relation types.
 */
public final class LinkHeader {
    private LinkHeader() {
    }

    /** The raw (unresolved) target of the first {@code next} link among the header values. */
    public static Optional<String> next(List<String> headerValues) {
        for (String value : headerValues) {
            int pos = 0;
            while (true) {
                int open = value.indexOf('<', pos);
                if (open < 0) {
                    break;
                }
                int close = value.indexOf('>', open);
                if (close < 0) {
                    break;
                }
                String target = value.substring(open + 1, close).strip();
                int nextLink = value.indexOf('<', close);
                String params = nextLink < 0 ? value.substring(close + 1) : value.substring(close + 1, nextLink);
                if (hasNextRelation(params)) {
                    return Optional.of(target);
                }
                pos = close + 1;
            }
        }
        return Optional.empty();
    }

    private static boolean hasNextRelation(String params) {
        for (String param : params.split(";")) {
            int eq = param.indexOf('=');
            if (eq < 0 || !param.substring(0, eq).strip().equalsIgnoreCase("rel")) {
                continue;
            }
            String rel = param.substring(eq + 1).strip();
            if (rel.endsWith(",")) {
                rel = rel.substring(0, rel.length() - 1).strip();
            }
            if (rel.startsWith("\"") && rel.endsWith("\"") && rel.length() >= 2) {
                rel = rel.substring(1, rel.length() - 1);
            }
            for (String type : rel.toLowerCase(Locale.ROOT).split("\\s+")) {
                if (type.equals("next")) {
                    return true;
                }
            }
        }
        return false;
    }
}

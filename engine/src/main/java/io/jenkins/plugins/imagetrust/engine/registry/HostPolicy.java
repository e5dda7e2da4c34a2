package io.jenkins.plugins.imagetrust.engine.registry;

import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which hosts may be spoken to over plain HTTP: loopback registries always, and the {@code host[:port]} entries the
 * user listed as insecure. Everything else is HTTPS only, including redirect targets and token realms.
 */
final class HostPolicy {
    private final Set<String> insecureHostPorts;

    HostPolicy(Set<String> insecureHostPorts) {
        this.insecureHostPorts = insecureHostPorts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** {@code http} or {@code https} for the registry API of {@code image}. */
    String schemeFor(ImageReference image) {
        return image.isLoopbackRegistry() || insecureHostPorts.contains(image.registryApiHost().toLowerCase(Locale.ROOT))
                || insecureHostPorts.contains(image.registry().toLowerCase(Locale.ROOT)) ? "http" : "https";
    }

    /** The base URI ({@code scheme://host[:port]}) of the registry API of {@code image}. */
    URI baseUri(ImageReference image) {
        return URI.create(schemeFor(image) + "://" + image.registryApiHost());
    }

    /** Whether a request to {@code uri} is allowed: HTTPS always, HTTP only to loopback or listed hosts. */
    boolean allows(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return true;
        }
        if (!scheme.equals("http") || uri.getHost() == null) {
            return false;
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        String hostPort = uri.getPort() < 0 ? host : host + ":" + uri.getPort();
        if (insecureHostPorts.contains(hostPort) || insecureHostPorts.contains(host) && uri.getPort() < 0) {
            return true;
        }
        return isLoopback(host);
    }

    private static boolean isLoopback(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.equals("localhost")) {
            return true;
        }
        if (!bare.matches("[0-9.]+|[0-9a-f:]+")) {
            return false; // a DNS name is never resolved to decide this
        }
        try {
            return java.net.InetAddress.getByName(bare).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}

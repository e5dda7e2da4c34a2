package io.jenkins.plugins.imagetrust.engine.http;

import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which hosts may be spoken to over plain HTTP: loopback hosts always, and the {@code host[:port]} entries the user
 * listed as insecure. Everything else is HTTPS only, including redirect targets and token realms. The engine's one
 * rule for "is this host loopback" is {@link #isLoopbackHost}.
 */
public final class HostPolicy {
    /** Plain HTTP to loopback hosts only (the Notary server's rule). */
    public static final HostPolicy LOOPBACK_ONLY = new HostPolicy(Set.of());

    private final Set<String> insecureHostPorts;

    public HostPolicy(Set<String> insecureHostPorts) {
        this.insecureHostPorts = insecureHostPorts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** {@code http} or {@code https} for the registry API of {@code image}. */
    public String schemeFor(ImageReference image) {
        return isLoopbackHost(image.registryHostName()) || insecureHostPorts.contains(image.registryApiHost().toLowerCase(Locale.ROOT))
                || insecureHostPorts.contains(image.registry().toLowerCase(Locale.ROOT)) ? "http" : "https";
    }

    /** The base URI ({@code scheme://host[:port]}) of the registry API of {@code image}. */
    public URI baseUri(ImageReference image) {
        return URI.create(schemeFor(image) + "://" + image.registryApiHost());
    }

    /** Whether a request to {@code uri} is allowed: HTTPS always, HTTP only to loopback or listed hosts. */
    public boolean allows(URI uri) {
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
        return isLoopbackHost(host);
    }

    /**
     * Whether {@code host} (a name or an IP literal, IPv6 with or without brackets) is this machine: {@code localhost}
     * or a loopback address. A DNS name is never resolved to decide this, so a name that merely points at 127.0.0.1
     * is not loopback. Null (a URI without a host) is not loopback.
     */
    public static boolean isLoopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!bare.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a DNS name is never resolved to decide this
        }
        try {
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public static boolean sameOrigin(URI a, URI b) {
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

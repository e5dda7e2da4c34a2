package io.jenkins.plugins.imagetrust.engine.registry;

import java.util.List;

/** The image has no manifest for the platform asked for; the message names the platforms it has. */
public class PlatformNotFoundException extends RegistryException {
    private static final long serialVersionUID = 1L;

    private final List<String> available;

    public PlatformNotFoundException(String registry, String repository, String problem, List<String> available) {
        super(registry, repository, "select-platform", problem);
        this.available = List.copyOf(available);
    }

    /** The platforms the image does have, as {@code os/architecture[/variant]}. */
    public List<String> available() {
        return available;
    }
}

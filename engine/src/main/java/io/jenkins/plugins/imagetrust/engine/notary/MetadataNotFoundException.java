package io.jenkins.plugins.imagetrust.engine.notary;

/** The server (or directory) has no such metadata file, e.g. {@code root.json} of an uninitialised repository. */
public class MetadataNotFoundException extends NotaryException {
    private static final long serialVersionUID = 1L;
    private final String gun;
    private final String name;

    public MetadataNotFoundException(String gun, String name) {
        super("no trust data " + name + " for " + gun);
        this.gun = gun;
        this.name = name;
    }

    public String gun() {
        return gun;
    }

    /** The requested file name without {@code .json}, e.g. {@code root} or {@code snapshot.<sha256 hex>}. */
    public String name() {
        return name;
    }
}

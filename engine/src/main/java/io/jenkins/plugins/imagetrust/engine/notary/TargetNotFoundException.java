package io.jenkins.plugins.imagetrust.engine.notary;

/** The verified trust data of a repository has no target for the tag ("No valid trust data for <tag>"). */
public class TargetNotFoundException extends NotaryException {
    private static final long serialVersionUID = 1L;
    private final String gun;
    private final String tag;

    public TargetNotFoundException(String gun, String tag) {
        super("no valid trust data for " + gun + ":" + tag);
        this.gun = gun;
        this.tag = tag;
    }

    public String gun() {
        return gun;
    }

    public String tag() {
        return tag;
    }
}

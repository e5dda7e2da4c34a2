package io.jenkins.plugins.imagetrust.engine.provenance;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The source revision a build ran from: the repository as the SCM names it, the ref when the build knows one
 * ({@code refs/heads/main}), and the commit (a git SHA-1 or SHA-256, lower-case hex).
 */
public record SourceRevision(String repository, Optional<String> ref, String commit) {
    private static final Pattern GIT_COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    public SourceRevision {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(commit, "commit");
        if (repository.isBlank()) {
            throw new IllegalArgumentException("the source repository is empty");
        }
        if (!isCommit(commit)) {
            throw new IllegalArgumentException("source commit '" + commit + "' is not a git commit id (40 or 64 lower-case hex digits)");
        }
    }

    /** Whether {@code text} is a git commit id as this record accepts it (40 or 64 lower-case hex digits). */
    public static boolean isCommit(String text) {
        return GIT_COMMIT.matcher(text).matches();
    }

    /**
     * The revision as an SLSA resource URI: {@code git+REPOSITORY@REF}, the form SLSA's git build types use (without
     * {@code @REF} when there is no ref); a repository given as {@code git+…} already is not prefixed again.
     */
    public String uri() {
        String base = repository.startsWith("git+") ? repository : "git+" + repository;
        return ref.map(r -> base + "@" + r).orElse(base);
    }
}

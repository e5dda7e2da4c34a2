package io.jenkins.plugins.imagetrust.provenance;

import hudson.model.Action;
import hudson.model.Run;
import io.jenkins.plugins.imagetrust.engine.provenance.SourceRevision;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import jenkins.scm.api.SCMHead;
import jenkins.scm.api.SCMRevision;
import jenkins.scm.api.SCMRevisionAction;
import jenkins.scm.api.SCMSource;
import jenkins.scm.api.mixin.ChangeRequestSCMHead;
import jenkins.scm.api.mixin.TagSCMHead;

/**
 * The source revision a run built, from what the run carries: scm-api's {@link SCMRevisionAction} (multibranch
 * jobs; the repository from the job's {@link SCMSource}), else the git plugin's build data (any job that checked out
 * with git). Both git types are read through their public getters by name ({@code getHash}, {@code getRemote};
 * {@code getLastBuiltRevision}, {@code getSha1String}, {@code getRemoteUrls}), so the plugin does not depend on the git
 * plugin; a run that carries neither, or a value that is not a git commit, has no source in its provenance.
 */
final class SourceRevisions {
    private static final String GIT_BUILD_DATA = "hudson.plugins.git.util.BuildData";

    private SourceRevisions() {
    }

    static Optional<SourceRevision> of(Run<?, ?> run) {
        Optional<SourceRevision> fromScmApi = fromRevisionAction(run);
        return fromScmApi.isPresent() ? fromScmApi : fromGitBuildData(run);
    }

    private static Optional<SourceRevision> fromRevisionAction(Run<?, ?> run) {
        SCMSource source = SCMSource.SourceByItem.findSource(run.getParent());
        SCMRevision revision = source == null ? null : SCMRevisionAction.getRevision(source, run);
        if (revision == null) {
            return Optional.empty();
        }
        Optional<String> commit = text(revision, "getHash").map(hash -> hash.toLowerCase(Locale.ROOT));
        Optional<String> repository = text(source, "getRemote");
        if (commit.isEmpty() || repository.isEmpty() || !SourceRevision.isCommit(commit.get())) {
            return Optional.empty();
        }
        return Optional.of(new SourceRevision(repository.get(), ref(revision.getHead()), commit.get()));
    }

    /** The git ref of a head: a tag or a branch; a change request (pull request) head has no ref of its own here. */
    static Optional<String> ref(SCMHead head) {
        if (head instanceof ChangeRequestSCMHead) {
            return Optional.empty();
        }
        return Optional.of((head instanceof TagSCMHead ? "refs/tags/" : "refs/heads/") + head.getName());
    }

    private static Optional<SourceRevision> fromGitBuildData(Run<?, ?> run) {
        for (Action action : run.getAllActions()) {
            if (!action.getClass().getName().equals(GIT_BUILD_DATA)) {
                continue;
            }
            Optional<String> commit = call(action, "getLastBuiltRevision")
                    .flatMap(revision -> text(revision, "getSha1String"))
                    .map(hash -> hash.toLowerCase(Locale.ROOT));
            Optional<String> repository = call(action, "getRemoteUrls")
                    .filter(Collection.class::isInstance)
                    .flatMap(urls -> ((Collection<?>) urls).stream().findFirst())
                    .map(Object::toString);
            if (commit.isPresent() && repository.isPresent() && SourceRevision.isCommit(commit.get())) {
                return Optional.of(new SourceRevision(repository.get(), Optional.empty(), commit.get()));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> text(Object target, String getter) {
        return call(target, getter).filter(String.class::isInstance).map(String.class::cast).filter(s -> !s.isBlank());
    }

    /** A public no-argument getter of a public class, called; empty when there is none or it fails. */
    private static Optional<Object> call(Object target, String getter) {
        try {
            Method method = target.getClass().getMethod(getter);
            if (!Modifier.isPublic(method.getDeclaringClass().getModifiers())) {
                return Optional.empty();
            }
            return Optional.ofNullable(method.invoke(target));
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException | RuntimeException e) {
            return Optional.empty();
        }
    }
}

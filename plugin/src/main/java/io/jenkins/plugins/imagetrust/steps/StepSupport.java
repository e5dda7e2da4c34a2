package io.jenkins.plugins.imagetrust.steps;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.ListBoxModel;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import jenkins.model.Jenkins;

/** What both steps share: their context, parameter clean-up, failure messages and credential drop-downs. */
final class StepSupport {
    /** Both steps work without a workspace; inside {@code node {}} signImage also asks the agent's Docker daemon. */
    static final Set<Class<?>> REQUIRED_CONTEXT = Set.of(Run.class, TaskListener.class);

    private StepSupport() {}

    /** A Groovy map ({@code [git: env.GIT_COMMIT]}, values possibly GStrings) as plain strings, order kept. */
    static Map<String, String> stringMap(@CheckForNull Map<?, ?> map) {
        Map<String, String> copy = new LinkedHashMap<>();
        if (map != null) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                copy.put(String.valueOf(entry.getKey()), String.valueOf(entry.getValue()));
            }
        }
        return copy;
    }

    /** The stage view's label of a step call: the image it names (raw; the view escapes it). */
    @CheckForNull
    static String imageArgument(Map<String, Object> namedArgs) {
        Object image = namedArgs.get("image");
        return image == null ? null : image.toString();
    }

    /**
     * The step's failure as a clean, secret-free message; an interruption stays an interruption so that aborting the
     * build works.
     */
    static Exception toStepFailure(Exception e) {
        if (e instanceof InterruptedException || e instanceof AbortException) {
            return e;
        }
        return new AbortException(reason(e));
    }

    /** The message of an engine or Jenkins failure (they name what was wrong and never hold secrets). */
    static String reason(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /**
     * Credentials of {@code type} that the job {@code item} may use, for a drop-down. Follows the credentials plugin's
     * consumer guide: users who could not configure the job see only the current value.
     */
    static ListBoxModel credentialItems(
            @CheckForNull Item item, @CheckForNull String current, Class<? extends StandardCredentials> type) {
        StandardListBoxModel result = new StandardListBoxModel();
        if (item == null
                ? !Jenkins.get().hasPermission(Jenkins.ADMINISTER)
                : !item.hasAnyPermission(Item.EXTENDED_READ, CredentialsProvider.USE_ITEM)) {
            return result.includeCurrentValue(current == null ? "" : current);
        }
        if (item == null) {
            return result.includeEmptyValue()
                    .includeMatchingAs(
                            ACL.SYSTEM2,
                            Jenkins.get(),
                            type,
                            Collections.<DomainRequirement>emptyList(),
                            CredentialsMatchers.always())
                    .includeCurrentValue(current == null ? "" : current);
        }
        return result.includeEmptyValue()
                .includeMatchingAs(
                        item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2,
                        item,
                        type,
                        Collections.<DomainRequirement>emptyList(),
                        CredentialsMatchers.always())
                .includeCurrentValue(current == null ? "" : current);
    }
}

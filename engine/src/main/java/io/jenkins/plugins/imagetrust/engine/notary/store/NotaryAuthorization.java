package io.jenkins.plugins.imagetrust.engine.notary.store;

import io.jenkins.plugins.imagetrust.engine.notary.NotaryException;
import io.jenkins.plugins.imagetrust.engine.registry.auth.AuthChallenge;
import java.util.List;
import java.util.Optional;

/**
 * Answers a Notary server's {@code 401}: the {@code Authorization} value for {@code gun} and the actions the request
 * needs ({@code pull}, or {@code push,pull} to publish or fetch a server key), as docker's token auth scopes them.
 */
@FunctionalInterface
public interface NotaryAuthorization {
    /**
     * @param challenges the server's {@code WWW-Authenticate} challenges
     * @param refused whether the server refused the value this returned before (fetch a fresh one)
     * @return the header value, or empty to let the 401 stand
     */
    Optional<String> authorize(List<AuthChallenge> challenges, String gun, String actions, boolean refused) throws NotaryException;
}

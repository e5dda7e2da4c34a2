package io.jenkins.plugins.imagetrust.engine.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {
    @Test
    void bearerWithQuotedParameters() {
        List<AuthChallenge> challenges = AuthChallenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/alpine:pull\"");

        assertThat(challenges).singleElement().satisfies(c -> {
            assertThat(c.isBearer()).isTrue();
            assertThat(c.params()).containsExactly(Map.entry("realm", "https://auth.docker.io/token"),
                    Map.entry("service", "registry.docker.io"), Map.entry("scope", "repository:library/alpine:pull"));
        });
    }

    @Test
    void quotedValuesMayHoldCommasAndEscapedQuotes() {
        AuthChallenge challenge = AuthChallenge.parse(
                "Bearer realm=\"https://a/token\",scope=\"repository:a:pull,push repository:b:pull\",error=\"say \\\"no\\\"\"").get(0);

        assertThat(challenge.param("scope")).hasValue("repository:a:pull,push repository:b:pull");
        assertThat(challenge.param("ERROR")).hasValue("say \"no\"");
    }

    @Test
    void schemeIsCaseInsensitiveAndSpacesAroundEqualsAreTolerated() {
        AuthChallenge challenge = AuthChallenge.parse("BEARER Realm = \"https://a/t\" , Service=registry").get(0);

        assertThat(challenge.scheme()).isEqualTo("bearer");
        assertThat(challenge.param("realm")).hasValue("https://a/t");
        assertThat(challenge.param("service")).hasValue("registry");
    }

    @Test
    void severalChallengesInOneHeaderAndAcrossHeaders() {
        List<AuthChallenge> challenges = AuthChallenge.parseAll(List.of(
                "Basic realm=\"Registry Realm\", Bearer realm=\"https://t/token\",service=\"svc\"",
                "Negotiate"));

        assertThat(challenges).extracting(AuthChallenge::scheme).containsExactly("basic", "bearer", "negotiate");
        assertThat(challenges.get(0).param("realm")).hasValue("Registry Realm");
        assertThat(challenges.get(1).param("service")).hasValue("svc");
        assertThat(challenges.get(2).params()).isEmpty();
    }

    @Test
    void token68AfterSchemeDoesNotSwallowTheNextChallenge() {
        List<AuthChallenge> challenges = AuthChallenge.parse("Negotiate abc==, Basic realm=x");

        assertThat(challenges).extracting(AuthChallenge::scheme).contains("negotiate", "basic");
        assertThat(challenges.get(challenges.size() - 1).param("realm")).hasValue("x");
    }

    @Test
    void garbageGivesNoCrashAndUnterminatedQuoteRunsToTheEnd() {
        assertThat(AuthChallenge.parse("")).isEmpty();
        assertThat(AuthChallenge.parse(" , ,, ")).isEmpty();
        assertThat(AuthChallenge.parse("=\"\"=,,=")).allSatisfy(c -> assertThat(c.scheme()).isNotEmpty());
        assertThat(AuthChallenge.parse("Bearer realm=\"https://x/t").get(0).param("realm")).hasValue("https://x/t");
        List<AuthChallenge> overlong = AuthChallenge.parse("Bearer " + "a=b,".repeat(5000));
        assertThat(overlong.get(0).scheme()).isEqualTo("bearer");
        assertThat(overlong.get(0).param("a")).hasValue("b");
    }
}

package io.jenkins.plugins.imagetrust.engine.notary.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.imagetrust.engine.testing.InteropFixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultipartTest {
    private static final String THIRDPARTY_BOUNDARY = "9483b952c20b455a892a3684fff6e71f";

    @Test
    void n13_readsTheThirdPartyPublishBody() {
        List<Multipart.Part> parts = Multipart.read(THIRDPARTY_BOUNDARY, InteropFixtures.bytes("notary/thirdparty/post-body.multipart"));

        assertThat(parts).extracting(Multipart.Part::filename).containsExactly("root", "targets");
        assertThat(parts.get(0).body()).isEqualTo(InteropFixtures.bytes("notary/thirdparty/root.json"));
        assertThat(parts.get(1).body()).isEqualTo(InteropFixtures.bytes("notary/thirdparty/targets.json"));
    }

    @Test
    void writesExactlyTheThirdPartyBodyFromTheSameParts() {
        byte[] written = Multipart.write(THIRDPARTY_BOUNDARY, List.of(
                new Multipart.Part("root", InteropFixtures.bytes("notary/thirdparty/root.json")),
                new Multipart.Part("targets", InteropFixtures.bytes("notary/thirdparty/targets.json"))));

        assertThat(written).isEqualTo(InteropFixtures.bytes("notary/thirdparty/post-body.multipart"));
    }

    @Test
    void roundTripsADelegationRoleWithAFreshBoundary() {
        String boundary = Multipart.newBoundary();
        byte[] body = "{\"signed\":{},\"signatures\":[]}\r\n--not-the-boundary".getBytes(StandardCharsets.UTF_8);

        List<Multipart.Part> parts = Multipart.read(boundary, Multipart.write(boundary, List.of(new Multipart.Part("targets/releases", body))));

        assertThat(boundary).hasSize(32);
        assertThat(Multipart.contentType(boundary)).isEqualTo("multipart/form-data; boundary=" + boundary);
        assertThat(parts).singleElement().satisfies(p -> {
            assertThat(p.filename()).isEqualTo("targets/releases");
            assertThat(p.body()).isEqualTo(body);
        });
    }

    @Test
    void refusesBadNamesAndMalformedBodies() {
        assertThatThrownBy(() -> Multipart.write("b", List.of(new Multipart.Part("root\"; x=\"", new byte[0]))))
                .hasMessageContaining("not a role name");
        assertThatThrownBy(() -> Multipart.write("b", List.of())).hasMessageContaining("at least one");
        assertThatThrownBy(() -> Multipart.write("bad boundary", List.of(new Multipart.Part("root", new byte[0]))))
                .hasMessageContaining("boundary");
        assertThatThrownBy(() -> Multipart.read("b", "--b\r\nContent-Disposition: form-data; name=\"x\"; filename=\"root\"\r\n\r\n{}\r\n--b--".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageContaining("part 1 is not a form-data field 'files'");
        assertThatThrownBy(() -> Multipart.read("b", "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"root\"\r\n\r\n{}".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageContaining("not closed");
    }
}

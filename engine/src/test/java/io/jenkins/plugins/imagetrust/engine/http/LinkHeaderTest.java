package io.jenkins.plugins.imagetrust.engine.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LinkHeaderTest {
    @Test
    void distributionStyleNextLink() {
        assertThat(LinkHeader.next(List.of("</v2/lab/app/tags/list?n=2&last=b>; rel=\"next\"")))
                .hasValue("/v2/lab/app/tags/list?n=2&last=b");
    }

    @Test
    void bareAndMultiValuedRelations() {
        assertThat(LinkHeader.next(List.of("<https://r/x?last=c>;rel=next"))).hasValue("https://r/x?last=c");
        assertThat(LinkHeader.next(List.of("</p>; rel=\"prev next\""))).hasValue("/p");
        assertThat(LinkHeader.next(List.of("</p>; REL=\"Next\""))).hasValue("/p");
    }

    @Test
    void nextAmongSeveralLinksAndHeaders() {
        assertThat(LinkHeader.next(List.of("</first>; rel=\"first\", </second?a=1,2>; rel=\"next\"; title=\"x\"")))
                .hasValue("/second?a=1,2");
        assertThat(LinkHeader.next(List.of("</prev>; rel=prev", "</n>; rel=next"))).hasValue("/n");
    }

    @Test
    void noNextLink() {
        assertThat(LinkHeader.next(List.of())).isEmpty();
        assertThat(LinkHeader.next(List.of("</prev>; rel=\"prev\""))).isEmpty();
        assertThat(LinkHeader.next(List.of("garbage <unclosed; rel=next"))).isEmpty();
        assertThat(LinkHeader.next(List.of("</x>; relation=next"))).isEmpty();
    }
}

package io.jenkins.plugins.imagetrust.engine.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.imagetrust.engine.http.HttpResult;
import io.jenkins.plugins.imagetrust.engine.http.LinkHeader;
import io.jenkins.plugins.imagetrust.engine.json.JsonMappers;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One page of {@code GET /v2/<name>/tags/list}; the next page from the {@code Link} header. Empty page on 404. */
final class TagLister implements RegistryEndpoint<TagLister.Page> {
    private static final ObjectMapper JSON = JsonMappers.lenient();

    /** Tags of this page, and the next page's URI resolved against this one. */
    record Page(List<String> tags, Optional<URI> next) {
    }

    private final URI pageUri;
    private final long maxBytes;

    TagLister(URI pageUri, long maxBytes) {
        this.pageUri = pageUri;
        this.maxBytes = maxBytes;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public URI uri(URI apiBase) {
        return pageUri;
    }

    @Override
    public long maxResponseBytes() {
        return maxBytes;
    }

    @Override
    public String describeBody() {
        return "a page of the tag list";
    }

    @Override
    public boolean idempotent() {
        return true;
    }

    @Override
    public Page handleResponse(HttpResult response, CallContext context) throws RegistryException {
        if (response.statusCode() == 404) {
            return new Page(List.of(), Optional.empty());
        }
        if (response.statusCode() != 200) {
            throw context.unexpected(response);
        }
        JsonNode root;
        try {
            root = JSON.readTree(response.body());
        } catch (IOException e) {
            throw context.protocol("the tag list is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw context.protocol("the tag list is not a JSON object");
        }
        List<String> tags = new ArrayList<>();
        JsonNode array = root.path("tags");
        if (!array.isNull() && !array.isMissingNode() && !array.isArray()) {
            throw context.protocol("'tags' in the tag list is not an array");
        }
        for (JsonNode tag : array) {
            if (!tag.isTextual()) {
                throw context.protocol("the tag list holds a non-string tag");
            }
            tags.add(tag.asText());
        }
        Optional<URI> next;
        try {
            next = LinkHeader.next(response.headers().allValues("Link")).map(target -> response.uri().resolve(target));
        } catch (IllegalArgumentException e) {
            throw context.protocol("the tag list's Link header is not a valid URI");
        }
        return new Page(tags, next);
    }
}

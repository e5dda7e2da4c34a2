package io.jenkins.plugins.imagetrust.engine.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.imagetrust.engine.cosign.ReferrerManifest;
import io.jenkins.plugins.imagetrust.engine.cosign.ReferrersIndex;
import io.jenkins.plugins.imagetrust.engine.cosign.SignatureManifest;
import io.jenkins.plugins.imagetrust.engine.reference.Digest;
import io.jenkins.plugins.imagetrust.engine.reference.ImageReference;
import io.jenkins.plugins.imagetrust.engine.registry.Descriptor;
import io.jenkins.plugins.imagetrust.engine.registry.Manifest;
import io.jenkins.plugins.imagetrust.engine.registry.MediaTypes;
import io.jenkins.plugins.imagetrust.engine.registry.RegistryClient;
import io.jenkins.plugins.imagetrust.engine.sigstore.TrustedRoot;
import io.jenkins.plugins.imagetrust.engine.testing.TestSigstore.KeyType;
import io.jenkins.plugins.imagetrust.engine.testing.TestSigstore.LeafBuilder;
import io.jenkins.plugins.imagetrust.engine.testing.TestSigstore.LogKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Keyless-signed images in a registry, stored as cosign stores them: the legacy {@code sha256-<hex>.sig} manifest
 * whose layer carries the certificate, chain and Rekor bundle annotations, or the v0.3 Sigstore bundle attached as an
 * OCI referrer through the fallback tag (registries without the referrers API). The material comes from a
 * {@link TestSigstore}, laid out by {@link CosignKeylessLayouts}.
 */
public final class KeylessImages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KeylessImages() {
    }

    /** How the keyless signature is stored. */
    public enum Layout {
        LEGACY, BUNDLE
    }

    /** One keyless signing, each part changeable; {@link #push} signs and stores it. */
    public static final class Signing {
        public final TestSigstore sigstore;
        public final Layout layout;
        private final RegistryClient registry;
        private final Instant now;
        public UnaryOperator<LeafBuilder> leaf = b -> b;
        public Instant integratedTime;
        public LogKey setSigner;
        /** The digest the signature names; by default the image's own. */
        public Optional<Digest> signs = Optional.empty();

        public Signing(RegistryClient registry, Instant now, Layout layout) {
            this(registry, new TestSigstore(now), layout);
        }

        /** A signing by {@code sigstore}, so that several images chain to one trusted root (as on a Jenkins page). */
        public Signing(RegistryClient registry, TestSigstore sigstore, Layout layout) {
            this.registry = registry;
            this.now = sigstore.now();
            this.layout = layout;
            this.sigstore = sigstore;
            this.integratedTime = now;
            this.setSigner = sigstore.rekor();
        }

        /** Signs {@code digest} (a manifest of {@code image}'s repository) and stores the signature beside it. */
        public void push(ImageReference image, Digest digest) throws Exception {
            TestSigstore.Leaf signer = leaf.apply(sigstore.leaf(KeyType.P256)).build();
            Digest named = signs.orElse(digest);
            if (layout == Layout.LEGACY) {
                pushLegacy(image, digest, named, signer);
            } else {
                pushBundle(image, digest, named, signer);
            }
        }

        public TrustedRoot root() throws Exception {
            return TrustedRoot.parse(sigstore.trustedRootJson());
        }

        private void pushLegacy(ImageReference image, Digest digest, Digest named, TestSigstore.Leaf signer) throws Exception {
            byte[] payload = CosignKeylessLayouts.simpleSigningPayload(image.repositoryOnly().toString(), named.toString());
            byte[] signature = TestSigstore.sign(signer.keys().getPrivate(), payload);
            TestSigstore.LogEntry entry = sigstore.log(TestSigstore.hashedRekordBody(TestSigstore.sha256(payload), signature,
                    signer.certificate()), integratedTime, setSigner, sigstore.rekor());
            CosignKeylessLayouts.LegacyLayer layer = CosignKeylessLayouts.legacyLayer(payload, signature, signer.certificate(),
                    List.of(sigstore.fulcioIntermediate().certificate(), sigstore.fulcioRoot().certificate()), Optional.of(entry),
                    Optional.empty());
            pushSigManifest(image, digest, layer);
        }

        private void pushBundle(ImageReference image, Digest digest, Digest named, TestSigstore.Leaf signer) throws Exception {
            byte[] statement = CosignKeylessLayouts.cosignSignStatement(image.repositoryOnly().toString(), named.hex());
            byte[] signature = TestSigstore.sign(signer.keys().getPrivate(), CosignKeylessLayouts.pae(statement));
            TestSigstore.LogEntry entry = sigstore.log(TestSigstore.dsseBody(statement, signature, signer.certificate()), integratedTime,
                    setSigner, sigstore.rekor());
            byte[] bundle = CosignKeylessLayouts.bundle(3, signer.certificate(), List.of(entry), "dsse", List.of(),
                    new CosignKeylessLayouts.Dsse(statement, signature), true);
            Manifest subject = registry.fetchManifest(image.repositoryOnly(), digest.toString()).orElseThrow();
            attach(image, new Descriptor(subject.mediaType(), digest, subject.bytes().length), bundle);
        }

        /**
         * The {@code .sig} manifest as cosign writes it: an OCI manifest whose config lists the layer, and one
         * simple-signing layer carrying the keyless annotations (cosign {@code pkg/oci/static/signature.go},
         * {@code pkg/oci/mutate}).
         */
        private void pushSigManifest(ImageReference image, Digest digest, CosignKeylessLayouts.LegacyLayer layer) throws Exception {
            ImageReference repository = image.repositoryOnly();
            Digest payloadDigest = registry.pushBlob(repository, layer.payload());
            SignatureManifest withLayer = SignatureManifest.empty().withSignature(payloadDigest, layer.payload().length,
                    Base64.getDecoder().decode(layer.base64Signature()));
            byte[] config = withLayer.configBlob();
            Digest configDigest = registry.pushBlob(repository, config);
            ObjectNode manifest = (ObjectNode) JSON.readTree(withLayer.toBytes(configDigest, config.length));
            ObjectNode annotations = ((ObjectNode) manifest.get("layers").get(0)).putObject("annotations");
            layer.annotations().forEach(annotations::put);
            registry.pushManifest(repository, digest.signatureTag(), JSON.writeValueAsBytes(manifest), MediaTypes.OCI_MANIFEST);
        }

        /** Attaches {@code bundle} to {@code subject} as cosign 3 does on a registry without the referrers API. */
        private void attach(ImageReference image, Descriptor subject, byte[] bundle) throws Exception {
            ImageReference repository = image.repositoryOnly();
            Digest bundleDigest = registry.pushBlob(repository, bundle);
            registry.pushBlob(repository, ReferrerManifest.EMPTY_CONFIG);
            Map<String, String> annotations = ReferrerManifest.dsseAnnotations(now);
            byte[] manifest = ReferrerManifest.create(new Descriptor(MediaTypes.SIGSTORE_BUNDLE, bundleDigest, bundle.length), subject,
                    annotations);
            Digest manifestDigest = registry.pushManifest(repository, Digest.sha256(manifest).toString(), manifest, MediaTypes.OCI_MANIFEST);
            String tag = RegistryClient.referrersFallbackTag(subject.digest());
            Optional<Manifest> current = registry.fetchManifest(repository, tag);
            ReferrersIndex base = current.isPresent() ? ReferrersIndex.parse(current.get().bytes()) : ReferrersIndex.empty();
            registry.pushManifest(repository, tag, base.with(new Descriptor(MediaTypes.OCI_MANIFEST, manifestDigest, manifest.length),
                    MediaTypes.SIGSTORE_BUNDLE, annotations).toBytes(), MediaTypes.OCI_INDEX);
        }
    }
}

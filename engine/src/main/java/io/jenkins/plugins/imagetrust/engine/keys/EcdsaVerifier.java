package io.jenkins.plugins.imagetrust.engine.keys;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECFieldFp;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * ECDSA-with-SHA-256 verification on P-256 and P-384 with BouncyCastle's lightweight API: about five times faster
 * than JDK 17's SunEC once warm, and unlike the BouncyCastle JCA provider it costs no provider construction (some
 * 170 ms), which a one-shot CLI would pay. As strict as the JDK: the DER must be canonical ({@link
 * EcdsaSignatures#derToRaw}), r and s in [1, n-1], the key's point on its curve. See docs/performance.md.
 */
final class EcdsaVerifier {
    private static final List<String> CURVES = List.of("secp256r1", "secp384r1");

    private EcdsaVerifier() {
    }

    /**
     * Whether {@code der} is a valid signature over {@code message}; empty when {@code key} is on neither curve,
     * so the caller asks the JDK instead.
     */
    static Optional<Boolean> verify(ECPublicKey key, byte[] message, byte[] der) {
        try {
            return verifyDigest(key, MessageDigest.getInstance("SHA-256").digest(message), der);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The same over a SHA-256 digest the caller computed (a Sigstore message signature names only the digest). */
    static Optional<Boolean> verifyDigest(ECPublicKey key, byte[] sha256, byte[] der) {
        Optional<ECDomainParameters> domain = Curves.domainOf(key.getParams());
        if (domain.isEmpty()) {
            return Optional.empty();
        }
        int scalarBytes = (domain.get().getN().bitLength() + 7) / 8;
        try {
            byte[] raw = EcdsaSignatures.derToRaw(der, scalarBytes);
            BigInteger r = new BigInteger(1, Arrays.copyOfRange(raw, 0, scalarBytes));
            BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, scalarBytes, 2 * scalarBytes));
            ECPoint w = key.getW();
            org.bouncycastle.math.ec.ECPoint q = domain.get().getCurve().validatePoint(w.getAffineX(), w.getAffineY());
            ECDSASigner verifier = new ECDSASigner();
            verifier.init(false, new ECPublicKeyParameters(q, domain.get()));
            return Optional.of(verifier.verifySignature(sha256, r, s));
        } catch (KeyException | IllegalArgumentException | ArithmeticException e) {
            return Optional.of(false); // malformed signature, or a point not on the curve
        }
    }

    /** The two curves' parameters, built on first use. */
    private static final class Curves {
        private static final List<ECDomainParameters> DOMAINS = CURVES.stream()
                .map(CustomNamedCurves::getByName).map(Curves::domain).toList();

        private static ECDomainParameters domain(X9ECParameters parameters) {
            return new ECDomainParameters(parameters.getCurve(), parameters.getG(), parameters.getN(), parameters.getH());
        }

        /** The domain whose prime, order and generator equal the key's; a key on any other curve has none. */
        static Optional<ECDomainParameters> domainOf(ECParameterSpec spec) {
            if (!(spec.getCurve().getField() instanceof ECFieldFp)) {
                return Optional.empty();
            }
            BigInteger prime = ((ECFieldFp) spec.getCurve().getField()).getP();
            for (ECDomainParameters domain : DOMAINS) {
                org.bouncycastle.math.ec.ECPoint g = domain.getG().normalize();
                if (domain.getCurve().getField().getCharacteristic().equals(prime)
                        && domain.getCurve().getA().toBigInteger().equals(spec.getCurve().getA())
                        && domain.getCurve().getB().toBigInteger().equals(spec.getCurve().getB())
                        && domain.getN().equals(spec.getOrder())
                        && g.getAffineXCoord().toBigInteger().equals(spec.getGenerator().getAffineX())
                        && g.getAffineYCoord().toBigInteger().equals(spec.getGenerator().getAffineY())) {
                    return Optional.of(domain);
                }
            }
            return Optional.empty();
        }
    }
}

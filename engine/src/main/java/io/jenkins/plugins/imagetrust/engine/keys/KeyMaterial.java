package io.jenkins.plugins.imagetrust.engine.keys;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * The one place that decides which keys are acceptable (ECDSA P-256/P-384, RSA of at least 2048 bits, Ed25519)
 * and turns parsed ASN.1 into JDK keys. Private keys come in as PKCS#8 {@link PrivateKeyInfo}, whatever file format
 * they were read from; the public key is always derived from the private key, so a file without one still works.
 */
final class KeyMaterial {
    static final int MIN_RSA_BITS = 2048;
    /** Moduli beyond this only cost time (a DoS guard); cosign and Notary cap RSA at 4096 bits too. */
    static final int MAX_RSA_BITS = 8192;
    private static final String ACCEPTED = "ECDSA P-256 or P-384, RSA of at least " + MIN_RSA_BITS + " bits, or Ed25519";

    private KeyMaterial() {
    }

    /** A key pair from a PKCS#8 structure, with the algorithm checked and the public key derived. */
    static KeyPair toKeyPair(PrivateKeyInfo info) throws KeyException {
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        byte[] canonical = null;
        try {
            if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
                ASN1ObjectIdentifier curve = namedCurve(info.getPrivateKeyAlgorithm());
                ECPrivateKey sec1 = ECPrivateKey.getInstance(info.parsePrivateKey());
                PrivateKeyInfo canonicalInfo = ecPkcs8(curve, sec1.getKey(), sec1.getPublicKey());
                byte[] point = ECPrivateKey.getInstance(canonicalInfo.parsePrivateKey()).getPublicKey().getOctets();
                canonical = canonicalInfo.getEncoded();
                PrivateKey privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(canonical));
                return new KeyPair(publicKey(new SubjectPublicKeyInfo(canonicalInfo.getPrivateKeyAlgorithm(), point)), privateKey);
            }
            if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
                RSAPrivateKey rsa = RSAPrivateKey.getInstance(info.parsePrivateKey());
                checkRsaSize(rsa.getModulus());
                SubjectPublicKeyInfo spki = new SubjectPublicKeyInfo(
                        new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                        new RSAPublicKey(rsa.getModulus(), rsa.getPublicExponent()));
                canonical = new PrivateKeyInfo(spki.getAlgorithm(), rsa).getEncoded();
                PrivateKey privateKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(canonical));
                return new KeyPair(publicKey(spki), privateKey);
            }
            if (EdECObjectIdentifiers.id_Ed25519.equals(algorithm)) {
                byte[] seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
                try {
                    if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
                        throw new KeyException("an Ed25519 private key is 32 bytes, this one is " + seed.length);
                    }
                    byte[] derivedPublic = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
                    if (info.getPublicKeyData() != null && !Arrays.equals(info.getPublicKeyData().getOctets(), derivedPublic)) {
                        throw new KeyException("the public key stored with the Ed25519 private key does not match it");
                    }
                    AlgorithmIdentifier ed25519 = new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519);
                    canonical = new PrivateKeyInfo(ed25519, new DEROctetString(seed)).getEncoded();
                    PrivateKey privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(canonical));
                    return new KeyPair(publicKey(new SubjectPublicKeyInfo(ed25519, derivedPublic)), privateKey);
                } finally {
                    Secrets.clear(seed);
                }
            }
            throw new KeyException("unsupported private key algorithm " + algorithmName(algorithm) + ": use " + ACCEPTED);
        } catch (IOException | IllegalArgumentException | IllegalStateException | ClassCastException e) {
            throw new KeyException("the private key structure is malformed (" + algorithmName(algorithm) + ")");
        } catch (GeneralSecurityException e) {
            throw new KeyException("the JDK refused the " + algorithmName(algorithm) + " private key: " + e.getClass().getSimpleName());
        } finally {
            Secrets.clear(canonical);
        }
    }

    /**
     * Unencrypted PKCS#8 DER for {@code keyPair}: for EC keys Go's {@code x509.MarshalPKCS8PrivateKey} layout (curve in
     * the algorithm identifier, public point included: 138 bytes for P-256), which cosign and skopeo read.
     * The caller clears the result.
     */
    static byte[] pkcs8(PrivateKey privateKey) throws KeyException {
        byte[] encoded = privateKey.getEncoded();
        if (encoded == null || !"PKCS#8".equalsIgnoreCase(privateKey.getFormat())) {
            throw new KeyException("the private key cannot be exported (" + privateKey.getAlgorithm()
                    + " key inside a token or without a PKCS#8 encoding)");
        }
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(encoded);
            if (X9ObjectIdentifiers.id_ecPublicKey.equals(info.getPrivateKeyAlgorithm().getAlgorithm())) {
                ASN1ObjectIdentifier curve = namedCurve(info.getPrivateKeyAlgorithm());
                return ecPkcs8(curve, ECPrivateKey.getInstance(info.parsePrivateKey()).getKey(), null).getEncoded();
            }
            toKeyPair(info); // validates the algorithm and size
            return encoded.clone();
        } catch (IOException | IllegalArgumentException e) {
            throw new KeyException("the private key's PKCS#8 encoding is malformed");
        } finally {
            Secrets.clear(encoded);
        }
    }

    /** The JDK public key for an SPKI, after checking the algorithm, curve, point and size. */
    static PublicKey publicKey(SubjectPublicKeyInfo spki) throws KeyException {
        ASN1ObjectIdentifier algorithm = spki.getAlgorithm().getAlgorithm();
        String jdkAlgorithm;
        try {
            if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
                ASN1ObjectIdentifier curve = namedCurve(spki.getAlgorithm());
                // decodePoint refuses points off the curve; the point at infinity decodes but is no key either
                if (ECNamedCurveTable.getByOID(curve).getCurve().decodePoint(spki.getPublicKeyData().getOctets()).isInfinity()) {
                    throw new KeyException("the EC public key is the point at infinity");
                }
                jdkAlgorithm = "EC";
            } else if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
                RSAPublicKey rsa = RSAPublicKey.getInstance(spki.parsePublicKey());
                checkRsaSize(rsa.getModulus());
                checkRsaExponent(rsa.getPublicExponent());
                jdkAlgorithm = "RSA";
            } else if (EdECObjectIdentifiers.id_Ed25519.equals(algorithm)) {
                if (spki.getPublicKeyData().getOctets().length != 32) {
                    throw new KeyException("an Ed25519 public key is 32 bytes");
                }
                jdkAlgorithm = "Ed25519";
            } else {
                throw new KeyException("unsupported public key algorithm " + algorithmName(algorithm) + ": use " + ACCEPTED);
            }
            return KeyFactory.getInstance(jdkAlgorithm).generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
        } catch (IOException | IllegalArgumentException | IllegalStateException | ClassCastException e) {
            throw new KeyException("the public key is malformed (" + algorithmName(algorithm) + ")");
        } catch (GeneralSecurityException e) {
            throw new KeyException("the JDK refused the " + algorithmName(algorithm) + " public key: " + e.getClass().getSimpleName());
        }
    }

    /** Checks an existing public key (from a certificate or a token) the same way; returns it as a JDK key. */
    static PublicKey check(PublicKey key) throws KeyException {
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
            throw new KeyException("the " + key.getAlgorithm() + " public key has no X.509 encoding");
        }
        try {
            return publicKey(SubjectPublicKeyInfo.getInstance(encoded));
        } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
            throw new KeyException("the " + key.getAlgorithm() + " public key's encoding is malformed");
        }
    }

    /** "ECDSA P-256", "RSA 3072", "Ed25519"; for keys we do not accept, what they are. */
    static String describe(PublicKey key) {
        try {
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(key.getEncoded());
            ASN1ObjectIdentifier algorithm = spki.getAlgorithm().getAlgorithm();
            if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
                return "ECDSA " + curveName(namedCurve(spki.getAlgorithm()));
            }
            if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
                return "RSA " + RSAPublicKey.getInstance(spki.parsePublicKey()).getModulus().bitLength();
            }
            if (EdECObjectIdentifiers.id_Ed25519.equals(algorithm)) {
                return "Ed25519";
            }
            return algorithmName(algorithm);
        } catch (IOException | RuntimeException | KeyException e) {
            return key.getAlgorithm();
        }
    }

    private static ASN1ObjectIdentifier namedCurve(AlgorithmIdentifier algorithm) throws KeyException {
        ASN1Encodable parameters = algorithm.getParameters();
        if (parameters == null) {
            throw new KeyException("the EC key names no curve");
        }
        X962Parameters x962 = X962Parameters.getInstance(parameters);
        if (!x962.isNamedCurve()) {
            throw new KeyException("the EC key uses explicit curve parameters: only the named curves P-256 and P-384 are accepted");
        }
        ASN1ObjectIdentifier curve = ASN1ObjectIdentifier.getInstance(x962.getParameters());
        if (!SECObjectIdentifiers.secp256r1.equals(curve) && !SECObjectIdentifiers.secp384r1.equals(curve)) {
            throw new KeyException("unsupported EC curve " + curveName(curve) + ": use P-256 or P-384");
        }
        return curve;
    }

    private static String curveName(ASN1ObjectIdentifier curve) {
        if (SECObjectIdentifiers.secp256r1.equals(curve)) {
            return "P-256";
        }
        if (SECObjectIdentifiers.secp384r1.equals(curve)) {
            return "P-384";
        }
        String name = ECNamedCurveTable.getName(curve);
        return name == null ? curve.getId() : name + " (" + curve.getId() + ")";
    }

    private static String algorithmName(ASN1ObjectIdentifier algorithm) {
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            return "EC";
        }
        if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
            return "RSA";
        }
        if (EdECObjectIdentifiers.id_Ed25519.equals(algorithm)) {
            return "Ed25519";
        }
        if (EdECObjectIdentifiers.id_Ed448.equals(algorithm)) {
            return "Ed448 (" + algorithm.getId() + ")";
        }
        if (X9ObjectIdentifiers.id_dsa.equals(algorithm)) {
            return "DSA (" + algorithm.getId() + ")";
        }
        if (PKCSObjectIdentifiers.id_RSASSA_PSS.equals(algorithm)) {
            return "RSASSA-PSS-only RSA (" + algorithm.getId() + ")";
        }
        return "with OID " + algorithm.getId();
    }

    private static void checkRsaSize(BigInteger modulus) throws KeyException {
        int bits = modulus.bitLength();
        if (bits < MIN_RSA_BITS) {
            throw new KeyException("the RSA key has " + bits + " bits: too small, at least " + MIN_RSA_BITS + " bits are required");
        }
        if (bits > MAX_RSA_BITS) {
            throw new KeyException("the RSA key has " + bits + " bits: more than the " + MAX_RSA_BITS + " accepted");
        }
    }

    /** e=1 would make every message its own signature; Go's crypto/rsa also wants 2 ≤ e < 2^31 (and odd in practice). */
    private static void checkRsaExponent(BigInteger exponent) throws KeyException {
        if (exponent.compareTo(BigInteger.valueOf(3)) < 0 || !exponent.testBit(0) || exponent.bitLength() > 31) {
            throw new KeyException("the RSA public exponent " + exponent + " is not acceptable (it must be odd, at least 3 and below 2^31)");
        }
    }

    private static PrivateKeyInfo ecPkcs8(ASN1ObjectIdentifier curve, BigInteger d, ASN1BitString storedPublic) throws KeyException, IOException {
        X9ECParameters parameters = ECNamedCurveTable.getByOID(curve);
        if (d.signum() <= 0 || d.compareTo(parameters.getN()) >= 0) {
            throw new KeyException("the EC private key is out of range for " + curveName(curve));
        }
        ECPoint derived = derivePoint(parameters, d);
        byte[] point = derived.getEncoded(false);
        if (storedPublic != null && !Arrays.equals(storedPublic.getOctets(), point)
                && !Arrays.equals(storedPublic.getOctets(), derived.getEncoded(true))) {
            throw new KeyException("the public key stored with the EC private key does not match it");
        }
        ECPrivateKey sec1 = new ECPrivateKey(parameters.getN().bitLength(), d, new DERBitString(point), null);
        return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), sec1);
    }

    private static ECPoint derivePoint(X9ECParameters parameters, BigInteger d) {
        return new FixedPointCombMultiplier().multiply(parameters.getG(), d).normalize();
    }
}

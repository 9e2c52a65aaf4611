package dev.git.webhooks.subscription.auth;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM text of a client certificate and its key with the JDK alone, so that a bad one is refused at the API
 * (naming the field) rather than at the first attempt. Keys are RSA or EC in unencrypted PKCS#8, what Vert.x's
 * {@code PemKeyCertOptions} loads; other forms get a message that says how to convert them.
 */
public final class Pem {

    static final int MAX_LENGTH = 65_536;
    private static final Pattern CERTIFICATE = Pattern.compile(
            "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+)-----END CERTIFICATE-----");
    private static final Pattern KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private Pem() {
    }

    /** The certificates of {@code pem}, the client's own first; empty when there is none or one does not parse. */
    public static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> chain = new ArrayList<>();
        if (pem == null || pem.length() > MAX_LENGTH) {
            return chain;
        }
        Matcher found = CERTIFICATE.matcher(pem);
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (found.find()) {
                byte[] der = Base64.getMimeDecoder().decode(found.group(1));
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return List.of();
        }
        return chain;
    }

    /** The first certificate of {@code pem}; {@link #certificates} said it parses. */
    public static X509Certificate certificate(String pem) {
        return certificates(pem).get(0);
    }

    /** The key of {@code pem}, or why it cannot be used. */
    static Optional<PrivateKey> privateKey(String pem, StringBuilder problem) {
        if (pem == null || pem.length() > MAX_LENGTH) {
            problem.append("must be a PEM private key of at most ").append(MAX_LENGTH).append(" characters");
            return Optional.empty();
        }
        Matcher found = KEY.matcher(pem);
        if (!found.find()) {
            problem.append(pem.contains("ENCRYPTED PRIVATE KEY") || pem.contains("RSA PRIVATE KEY")
                    || pem.contains("EC PRIVATE KEY")
                    ? "must be an unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----); convert it with "
                            + "openssl pkcs8 -topk8 -nocrypt"
                    : "must be a PEM private key (-----BEGIN PRIVATE KEY-----)");
            return Optional.empty();
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(found.group(1));
        } catch (IllegalArgumentException e) {
            problem.append("is not valid base64 between its PEM lines");
            return Optional.empty();
        }
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return Optional.of(KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der)));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        problem.append("must be an RSA or EC private key in PKCS#8");
        return Optional.empty();
    }

    /** Whether {@code key} is the private half of {@code certificate}'s public key: it signs what the other verifies. */
    static boolean matches(X509Certificate certificate, PrivateKey key) {
        String algorithm = "RSA".equals(key.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] probe = "git.dev webhooks key check".getBytes(StandardCharsets.UTF_8);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** SHA-256 of the certificate's DER, lowercase hex. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

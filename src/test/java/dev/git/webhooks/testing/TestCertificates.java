package dev.git.webhooks.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/**
 * Certificates made at test time (nothing binary is committed): one test CA per JVM, whose PEM the service trusts
 * through {@code webhooks.delivery.trust-store}, and endpoint certificates signed by it or by themselves. Files and
 * their paths are kept in system properties, as test code and test resources may live in different class loaders.
 */
public final class TestCertificates {

    public static final char[] PASSWORD = "changeit".toCharArray();
    private static final String CA_PEM = "webhooks-test.ca-pem";
    private static final String CA_STORE = "webhooks-test.ca-store";
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    private TestCertificates() {
    }

    /** The PEM file of the test CA, made once per JVM. */
    public static synchronized Path caPem() {
        if (System.getProperty(CA_PEM) == null) {
            try {
                KeyPair keys = keys();
                X500Name name = new X500Name("CN=git.dev Webhooks test CA");
                X509Certificate ca = sign(new JcaX509v3CertificateBuilder(name, serial(), notBefore(), notAfter(), name,
                        keys.getPublic()).addExtension(Extension.basicConstraints, true, new BasicConstraints(true)),
                        keys.getPrivate());
                Path dir = Files.createTempDirectory("webhooks-test-ca-");
                Path pem = dir.resolve("ca.pem");
                StringWriter text = new StringWriter();
                try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
                    writer.writeObject(ca);
                }
                Files.writeString(pem, text.toString());
                Path store = dir.resolve("ca.p12");
                save(store, keys.getPrivate(), ca);
                System.setProperty(CA_PEM, pem.toString());
                System.setProperty(CA_STORE, store.toString());
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot make the test CA", e);
            }
        }
        return Path.of(System.getProperty(CA_PEM));
    }

    /** A WireMock server's settings to answer over HTTPS (on a free port, as over HTTP) with {@code keyStore}. */
    public static WireMockConfiguration httpsReceiver(Path keyStore) {
        String password = new String(PASSWORD);
        return WireMockConfiguration.options().dynamicPort().dynamicHttpsPort().keystorePath(keyStore.toString())
                .keystoreType("PKCS12").keystorePassword(password).keyManagerPassword(password);
    }

    /** A PKCS#12 key store (password {@link #PASSWORD}) with a certificate for {@code names} signed by the test CA. */
    public static Path signedByTestCa(String... names) {
        caPem();
        try {
            KeyStore caStore = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(Path.of(System.getProperty(CA_STORE)))) {
                caStore.load(in, PASSWORD);
            }
            X509Certificate ca = (X509Certificate) caStore.getCertificate("key");
            PrivateKey caKey = (PrivateKey) caStore.getKey("key", PASSWORD);
            return endpoint(names, X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()), caKey, ca);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client certificate and its key as the API takes them: PEM text (the key unencrypted PKCS#8). */
    public record ClientPem(String certificate, String privateKey) {
    }

    /** A client certificate for {@code cn}, signed by the test CA (or by itself), valid until {@code notAfter}. */
    public static ClientPem client(String cn, boolean signedByTestCa, Instant notAfter) {
        caPem();
        try {
            KeyPair keys = keys();
            X500Name subject = new X500Name("CN=" + cn + ",O=git.dev tests");
            X500Name issuer = subject;
            PrivateKey signer = keys.getPrivate();
            if (signedByTestCa) {
                KeyStore caStore = caStore();
                X509Certificate ca = (X509Certificate) caStore.getCertificate("key");
                issuer = X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
                signer = (PrivateKey) caStore.getKey("key", PASSWORD);
            }
            Instant notBefore = notAfter.isBefore(Instant.now()) ? notAfter.minus(Duration.ofDays(30))
                    : Instant.now().minus(Duration.ofHours(1));
            X509Certificate certificate = sign(new JcaX509v3CertificateBuilder(issuer, serial(), Date.from(notBefore),
                    Date.from(notAfter), subject, keys.getPublic()), signer);
            return new ClientPem(pem(certificate), pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(
                    keys.getPrivate(), null)));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PKCS#12 trust store (password {@link #PASSWORD}) that holds the test CA alone. */
    public static Path caTrustStore() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", caStore().getCertificate("key"));
            Path path = Files.createTempFile("webhooks-test-trust-", ".p12");
            try (OutputStream out = Files.newOutputStream(path)) {
                trust.store(out, PASSWORD);
            }
            return path;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore caStore() throws GeneralSecurityException, IOException {
        caPem();
        KeyStore caStore = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(Path.of(System.getProperty(CA_STORE)))) {
            caStore.load(in, PASSWORD);
        }
        return caStore;
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            if (object instanceof org.bouncycastle.util.io.pem.PemObjectGenerator generator) {
                writer.writeObject(generator);
            } else {
                writer.writeObject(object);
            }
        }
        return text.toString();
    }

    /** A PKCS#12 key store with a self-signed certificate for {@code names}: trusted by no one. */
    public static Path selfSigned(String... names) {
        try {
            return endpoint(names, null, null, null);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Names are DNS names, or IP addresses when they start with a digit. */
    private static Path endpoint(String[] names, X500Name issuer, PrivateKey issuerKey, X509Certificate ca)
            throws GeneralSecurityException, IOException {
        KeyPair keys = keys();
        X500Name subject = new X500Name("CN=" + names[0]);
        GeneralName[] alternatives = new GeneralName[names.length];
        for (int i = 0; i < names.length; i++) {
            alternatives[i] = new GeneralName(Character.isDigit(names[i].charAt(0)) ? GeneralName.iPAddress
                    : GeneralName.dNSName, names[i]);
        }
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer == null ? subject : issuer, serial(),
                notBefore(), notAfter(), subject, keys.getPublic())
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives));
        X509Certificate certificate = sign(builder, issuerKey == null ? keys.getPrivate() : issuerKey);
        Path store = Files.createTempFile("webhooks-test-endpoint-", ".p12");
        if (ca == null) {
            save(store, keys.getPrivate(), certificate);
        } else {
            save(store, keys.getPrivate(), certificate, ca);
        }
        return store;
    }

    private static void save(Path path, PrivateKey key, X509Certificate... chain)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("key", key, PASSWORD, chain);
        try (OutputStream out = Files.newOutputStream(path)) {
            store.store(out, PASSWORD);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        } catch (org.bouncycastle.operator.OperatorCreationException | java.security.cert.CertificateException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair keys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static Date notBefore() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    private static Date notAfter() {
        return Date.from(Instant.now().plus(Duration.ofDays(2)));
    }
}

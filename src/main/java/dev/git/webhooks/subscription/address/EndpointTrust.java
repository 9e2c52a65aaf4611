package dev.git.webhooks.subscription.address;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The CAs that endpoint certificates may chain to: the JVM's own, plus those of the PEM file in
 * {@code webhooks.delivery.trust-store} for endpoints behind a private CA. Adding, never replacing, so that
 * trusting a private CA does not stop deliveries to everyone else.
 */
public final class EndpointTrust {

    private EndpointTrust() {
    }

    /** The trust for endpoint connections, or empty when no trust store is configured (the JVM's defaults). */
    public static Optional<TrustManagerFactory> of(DestinationConfig config) {
        if (config.trustStore().filter(p -> !p.isBlank()).isEmpty()) {
            return Optional.empty();
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate ca : jvmDefaults()) {
                store.setCertificateEntry("jvm-" + i++, ca);
            }
            for (X509Certificate ca : read(Path.of(config.trustStore().get()))) {
                store.setCertificateEntry("extra-" + i++, ca);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return Optional.of(factory);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("webhooks.delivery.trust-store cannot be used: " + e.getMessage(), e);
        }
    }

    /** The certificates of a PEM file; at least one, or an exception that says what is wrong. */
    public static List<X509Certificate> read(Path pem) throws IOException, GeneralSecurityException {
        if (!Files.isReadable(pem)) {
            throw new IOException(pem + " is not a readable file");
        }
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends java.security.cert.Certificate> all = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            List<X509Certificate> certificates = new ArrayList<>();
            all.forEach(c -> certificates.add((X509Certificate) c));
            if (certificates.isEmpty()) {
                throw new IOException(pem + " holds no PEM certificate");
            }
            return certificates;
        }
    }

    private static List<X509Certificate> jvmDefaults() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        List<X509Certificate> cas = new ArrayList<>();
        for (var manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                cas.addAll(List.of(x509.getAcceptedIssuers()));
            }
        }
        return cas;
    }
}

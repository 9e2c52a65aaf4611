package dev.git.webhooks.subscription.address;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.quarkus.arc.DefaultBean;

/** The system resolver (with the JVM's own address cache): the {@link HostResolver} unless another is given. */
public final class JdkHostResolver implements HostResolver {

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        return InetAddress.getAllByName(host);
    }

    /** Produced as the interface, so that a test can put any {@link HostResolver} in its place. */
    @ApplicationScoped
    static class Producer {

        @Produces
        @DefaultBean
        @ApplicationScoped
        HostResolver hostResolver() {
            return new JdkHostResolver();
        }
    }
}

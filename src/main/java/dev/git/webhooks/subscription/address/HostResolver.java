package dev.git.webhooks.subscription.address;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns a host name into its addresses. Blocking; {@link Resolutions} calls it on its own threads with a timeout.
 * A bean, so that tests can put in a resolver that hangs or answers differently at every call (DNS rebinding).
 */
public interface HostResolver {

    /** Every address of {@code host} (never empty), or {@link UnknownHostException}. */
    InetAddress[] resolve(String host) throws UnknownHostException;
}

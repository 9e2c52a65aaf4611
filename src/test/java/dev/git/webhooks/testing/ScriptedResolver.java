package dev.git.webhooks.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import dev.git.webhooks.subscription.address.HostResolver;

/**
 * A resolver whose answers a test writes: a name can resolve to fixed addresses, to different addresses at each
 * call (DNS rebinding: the last answer repeats), or hang until {@link #release()}. Unscripted names do not resolve.
 */
public final class ScriptedResolver implements HostResolver {

    private final Map<String, List<List<String>>> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Set<String> hanging = ConcurrentHashMap.newKeySet();
    private final CountDownLatch released = new CountDownLatch(1);

    /** {@code host} resolves to {@code addresses} at every call. */
    public ScriptedResolver answer(String host, String... addresses) {
        answers.put(host, List.of(List.of(addresses)));
        return this;
    }

    /** {@code host} resolves to the first list at the first call, the second at the second, and so on. */
    @SafeVarargs
    public final ScriptedResolver answers(String host, List<String>... successive) {
        answers.put(host, List.of(successive));
        return this;
    }

    /** A lookup of {@code host} blocks until {@link #release()}, as a resolver that never answers. */
    public ScriptedResolver hang(String host) {
        hanging.add(host);
        return this;
    }

    public int calls(String host) {
        AtomicInteger count = calls.get(host);
        return count == null ? 0 : count.get();
    }

    /** Lets hanging lookups end (with no answer): call it when the test ends. */
    public void release() {
        released.countDown();
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        int call = calls.computeIfAbsent(host, h -> new AtomicInteger()).getAndIncrement();
        if (hanging.contains(host)) {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new UnknownHostException(host + " (released)");
        }
        List<List<String>> scripted = answers.get(host);
        if (scripted == null) {
            throw new UnknownHostException(host);
        }
        List<String> answer = scripted.get(Math.min(call, scripted.size() - 1));
        InetAddress[] addresses = new InetAddress[answer.size()];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = InetAddress.getByName(answer.get(i)); // literals only: no lookup
        }
        return addresses;
    }
}

package dev.git.webhooks.subscription.address;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Name lookups off the delivery workers: on a pool of their own (at most {@code threads}), one lookup per name at a
 * time however many deliveries wait for it, and each wait bounded by the timeout. A resolver that hangs for one name
 * therefore holds one thread and fails that name's attempts; the other names resolve on the other threads.
 */
final class Resolutions {

    private final HostResolver resolver;
    private final Duration timeout;
    private final ThreadPoolExecutor pool;
    private final ConcurrentHashMap<String, CompletableFuture<InetAddress[]>> inFlight = new ConcurrentHashMap<>();

    Resolutions(HostResolver resolver, Duration timeout, int threads) {
        this.resolver = resolver;
        this.timeout = timeout;
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread thread = new Thread(r, "dns-resolver-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * The addresses of {@code host}. Completes exceptionally with {@link java.util.concurrent.TimeoutException}
     * after the timeout, or with what the resolver threw ({@link java.net.UnknownHostException}).
     */
    CompletableFuture<InetAddress[]> lookup(String host) {
        CompletableFuture<InetAddress[]> fresh = new CompletableFuture<>();
        CompletableFuture<InetAddress[]> shared = inFlight.putIfAbsent(host, fresh);
        if (shared == null) {
            shared = fresh;
            try {
                pool.execute(() -> run(host, fresh));
            } catch (RejectedExecutionException e) {
                inFlight.remove(host, fresh);
                fresh.completeExceptionally(e);
            }
        }
        return shared.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    Duration timeout() {
        return timeout;
    }

    private void run(String host, CompletableFuture<InetAddress[]> result) {
        try {
            InetAddress[] addresses = resolver.resolve(host);
            if (addresses == null || addresses.length == 0) {
                throw new java.net.UnknownHostException(host);
            }
            result.complete(addresses);
        } catch (Throwable e) {
            result.completeExceptionally(e);
        } finally {
            inFlight.remove(host, result);
        }
    }

    void close() {
        pool.shutdownNow();
    }
}

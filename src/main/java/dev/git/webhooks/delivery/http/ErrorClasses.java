package dev.git.webhooks.delivery.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

import javax.net.ssl.SSLException;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.VertxException;

/** Names the failure of an attempt without a status in a stable, short class for the attempt log and metrics. */
final class ErrorClasses {

    private ErrorClasses() {
    }

    static String of(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause && !(cause instanceof SSLException)) {
            cause = cause.getCause();
        }
        if (cause instanceof ConnectTimeoutException) {
            return "connect_timeout";
        }
        if (cause instanceof SSLException) {
            return "tls_error";
        }
        if (cause instanceof UnknownHostException) {
            return "dns_failure";
        }
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
            return "connection_refused";
        }
        String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (cause instanceof ClosedChannelException || message.contains("connection reset")
                || message.contains("connection was closed") || message.contains("closed")) {
            return "connection_closed";
        }
        if (cause instanceof VertxException && message.contains("timeout")) {
            return "timeout";
        }
        if (cause instanceof IOException) {
            return "io_error";
        }
        return "request_failed";
    }

    static String message(Throwable e) {
        String message = e.getMessage();
        return message == null ? "request failed" : message.length() > 300 ? message.substring(0, 300)
                : message;
    }
}

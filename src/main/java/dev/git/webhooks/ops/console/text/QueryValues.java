package dev.git.webhooks.ops.console.text;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.quarkus.qute.TemplateExtension;

/**
 * {@code {value.urlencode}} in console templates: a value typed by a user (an owner, a target) goes into a link's
 * query string encoded, so that {@code &}, {@code #} or {@code +} in it cannot add or change a parameter. Qute's own
 * HTML escaping then applies on top, as for any attribute.
 */
@TemplateExtension
final class QueryValues {

    private QueryValues() {
    }

    static String urlencode(String value) {
        return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

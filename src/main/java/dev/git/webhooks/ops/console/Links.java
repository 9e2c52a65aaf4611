package dev.git.webhooks.ops.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** Query strings of console links, encoded, for the filters a page keeps when it pages on. */
final class Links {

    private Links() {
    }

    static String query(DeliveryPages.Filter f) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("owner", f.owner());
        params.put("endpoint", f.endpoint());
        params.put("event", f.event());
        params.put("status", f.status());
        params.put("error_class", f.errorClass());
        params.put("since", f.since());
        params.put("until", f.until());
        return query(params);
    }

    static String query(Map<String, String> params) {
        StringJoiner out = new StringJoiner("&");
        params.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                out.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return out.toString();
    }
}

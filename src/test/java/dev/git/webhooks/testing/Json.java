package dev.git.webhooks.testing;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.hamcrest.Description;
import org.hamcrest.TypeSafeDiagnosingMatcher;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.response.ResponseBodyData;

/**
 * Reads a value of a JSON answer with Jackson. REST Assured's paths ({@code extract().path("…")},
 * {@code body("…", matcher)}) compile a Groovy script for every expression they read, a plain field name too: in a
 * profile of the application tests (JDK Flight Recorder, both test JVMs) those compilations were an eighth of the
 * sampled CPU. The tests read plain paths through this instead: field names separated by dots, each optionally
 * indexed ({@code "key"}, {@code "error.details.request_id"}, {@code "data[0].id"}); over an array, a field is each
 * element's ({@code "data.id"} is the list of the ids), as REST Assured reads it. Objects are maps, arrays lists,
 * whole numbers Integer (or Long), other numbers Float (or Double beyond a float's range), a missing field null:
 * the values REST Assured's paths answer ({@code JsonTest} compares them).
 */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z0-9_-]+)((?:\\[\\d+])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

    private Json() {
    }

    /** The value at {@code path} in the answer's body. */
    public static <T> T at(ResponseBodyData body, String path) {
        return at(body.asString(), path);
    }

    /** The value at {@code path} in a JSON text. */
    public static <T> T at(String json, String path) {
        return walk(floats(parse(json)), path);
    }

    /**
     * An answer's body read once, for a chain: {@code extract().as(Json.Doc.class).at("id")} in place of REST
     * Assured's {@code extract().path("id")}.
     */
    public static final class Doc {

        private final Object root;

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public Doc(Object root) {
            this.root = floats(root);
        }

        /** The value at {@code path}. */
        public <T> T at(String path) {
            return walk(root, path);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T walk(Object root, String path) {
        Object value = root;
        for (String segment : path.split("\\.")) {
            Matcher m = SEGMENT.matcher(segment);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a plain path: " + path);
            }
            value = field(value, m.group(1));
            Matcher index = INDEX.matcher(m.group(2));
            while (index.find()) {
                int i = Integer.parseInt(index.group(1));
                value = value instanceof List<?> list && i < list.size() ? list.get(i) : null;
            }
        }
        return (T) value;
    }

    /**
     * A matcher of a whole JSON body that applies {@code matcher} to the value at {@code path}: in place of REST
     * Assured's {@code body(path, matcher)}, {@code body(Json.at(path, matcher))}.
     */
    public static org.hamcrest.Matcher<String> at(String path, org.hamcrest.Matcher<?> matcher) {
        return new TypeSafeDiagnosingMatcher<>() {
            @Override
            protected boolean matchesSafely(String body, Description mismatch) {
                Object value;
                try {
                    value = at(body, path);
                } catch (RuntimeException e) {
                    mismatch.appendText("the body is not JSON: ").appendValue(body);
                    return false;
                }
                if (matcher.matches(value)) {
                    return true;
                }
                mismatch.appendText("JSON path " + path + " ");
                matcher.describeMismatch(value, mismatch);
                return false;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("JSON path " + path + " ").appendDescriptionOf(matcher);
            }
        };
    }

    private static Object parse(String json) {
        try {
            return MAPPER.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }

    private static Object field(Object value, String name) {
        if (value instanceof Map<?, ?> object) {
            return object.get(name);
        }
        if (value instanceof List<?> array) {
            List<Object> fields = new ArrayList<>(array.size());
            array.forEach(element -> fields.add(field(element, name)));
            return fields;
        }
        return null;
    }

    /** Decimals as REST Assured answers them: a Float when the number is within a float's range. */
    @SuppressWarnings("unchecked")
    private static Object floats(Object value) {
        if (value instanceof Double d) {
            return Math.abs(d) <= Float.MAX_VALUE ? (Object) d.floatValue() : d;
        }
        if (value instanceof Map<?, ?> object) {
            ((Map<Object, Object>) object).replaceAll((k, v) -> floats(v));
        } else if (value instanceof List<?> array) {
            ((List<Object>) array).replaceAll(Json::floats);
        }
        return value;
    }
}

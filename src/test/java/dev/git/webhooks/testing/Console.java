package dev.git.webhooks.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The console over plain HTTP, as a browser uses it: the sign-in form (its own CSRF token and cookie), then the
 * session cookie on every request and the CSRF token that the pages' forms carry. Redirects are not followed, so that
 * a test sees each answer (a 303 after an action, the cookies it sets).
 */
public final class Console {

    public static final String COOKIE = "wh_console";
    public static final String SIGN_IN_COOKIE = "wh_console_signin";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

    /** A signed-in browser: its session cookie and the CSRF token of its forms. */
    public record Session(String cookie, String csrf) {

        public RequestSpecification request() {
            return given().redirects().follow(false).cookie(COOKIE, cookie);
        }

        public Response get(String path) {
            return request().get(path);
        }

        /** Posts a form with this session's CSRF token. */
        public Response post(String path, Map<String, String> fields) {
            return post(path, fields, csrf);
        }

        /** Posts a form with {@code token} as its CSRF token, or none when it is null. */
        public Response post(String path, Map<String, String> fields, String token) {
            RequestSpecification request = request().formParams(fields);
            if (token != null) {
                request.formParam("_csrf", token);
            }
            return request.post(path);
        }
    }

    /** The sign-in form as served: its CSRF token and the cookie that token belongs to. */
    public record SignInForm(String cookie, String csrf) {

        /** Posts the form with {@code apiKey}, and {@code token} as its CSRF token (none when null). */
        public Response submit(String apiKey, String token) {
            RequestSpecification request = given().redirects().follow(false).formParam("api_key", apiKey);
            if (cookie != null) {
                request.cookie(SIGN_IN_COOKIE, cookie);
            }
            if (token != null) {
                request.formParam("_csrf", token);
            }
            return request.post("/console/login");
        }
    }

    private Console() {
    }

    public static SignInForm signInForm() {
        Response form = given().redirects().follow(false).get("/console/login");
        form.then().statusCode(200);
        return new SignInForm(form.getCookie(SIGN_IN_COOKIE), csrf(form.asString()));
    }

    /** Signs in with {@code apiKey} through the form, and reads the forms' CSRF token from the overview. */
    public static Session signIn(String apiKey) {
        SignInForm form = signInForm();
        Response signedIn = form.submit(apiKey, form.csrf());
        signedIn.then().statusCode(303).header("Location", endsWith("/console"));
        String cookie = signedIn.getCookie(COOKIE);
        Response overview = given().redirects().follow(false).cookie(COOKIE, cookie).get("/console");
        overview.then().statusCode(200);
        return new Session(cookie, csrf(overview.asString()));
    }

    /** The CSRF token in a page's forms. */
    public static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no CSRF token in the page: " + html);
        }
        return m.group(1);
    }
}

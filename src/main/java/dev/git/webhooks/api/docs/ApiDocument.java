package dev.git.webhooks.api.docs;

/** Names and examples of the error responses that package-info.java declares and {@link ErrorResponses} uses. */
public final class ApiDocument {

    static final String JSON = "application/json";
    static final String ENVELOPE = "ErrorEnvelope";

    public static final String BAD_REQUEST = "BadRequest";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String FORBIDDEN = "Forbidden";
    public static final String NOT_FOUND = "NotFound";
    public static final String CONFLICT = "Conflict";
    public static final String TOO_LARGE = "PayloadTooLarge";
    public static final String UNSUPPORTED = "UnsupportedMediaType";
    public static final String RATE_LIMITED = "TooManyRequests";
    public static final String NOT_ALLOWED = "MethodNotAllowed";
    public static final String INTERNAL = "InternalError";

    static final String INVALID = """
            {"error":{"code":"validation_failed","message":"Invalid url: is required","status":400,\
            "details":{"fields":[{"field":"url","message":"is required"}],"request_id":"req_5f2b7c9d1e3a"}}}""";
    static final String MALFORMED = """
            {"error":{"code":"malformed_json","message":"The request body is not valid JSON (line 1, column 8).",\
            "status":400,"details":{"request_id":"req_5f2b7c9d1e3a"}}}""";
    static final String UNAUTHORIZED_EXAMPLE = """
            {"error":{"code":"invalid_api_key","message":"The API key is not valid.","status":401,\
            "details":{"request_id":"req_5f2b7c9d1e3a"}}}""";
    static final String FORBIDDEN_EXAMPLE = """
            {"error":{"code":"insufficient_scope","message":"This API key lacks the scope webhooks:write.",\
            "status":403,"details":{"request_id":"req_5f2b7c9d1e3a"}}}""";
    static final String NOT_FOUND_EXAMPLE = """
            {"error":{"code":"not_found","message":"No webhook with id 'wh_2b9c1f0e'.","status":404,\
            "details":{"request_id":"req_5f2b7c9d1e3a"}}}""";
    static final String CONFLICT_EXAMPLE = """
            {"error":{"code":"conflict","message":"The webhook is not taking deliveries (status disabled); enable \
            it first.","status":409,"details":{"request_id":"req_5f2b7c9d1e3a"}}}""";
    static final String TOO_LARGE_EXAMPLE = """
            {"error":{"code":"payload_too_large","message":"The request body is larger than the limit of 1048576 \
            bytes.",\
            "status":413,"details":{"request_id":"req_5f2b7c9d1e3a"}}}""";
    static final String UNSUPPORTED_EXAMPLE = """
            {"error":{"code":"unsupported_media_type","message":"Send the request body as application/json \
            (UTF-8).","status":415,"details":{"request_id":"req_5f2b7c9d1e3a"}}}""";
    static final String RATE_LIMITED_EXAMPLE = """
            {"error":{"code":"rate_limited","message":"Rate limit of 60 requests a minute exceeded; retry after the time in \
            Retry-After.","status":429,"details":{"request_id":"req_5f2b7c9d1e3a"}}}""";
    static final String NOT_ALLOWED_EXAMPLE = """
            {"error":{"code":"method_not_allowed","message":"PUT is not allowed on /v2/webhooks/wh_2b9c1f0e.",\
            "status":405,"details":{"request_id":"req_5f2b7c9d1e3a"}}}""";
    static final String INTERNAL_EXAMPLE = """
            {"error":{"code":"internal_error","message":"Something went wrong on our side. Quote the request id if \
            you contact us.","status":500,"details":{"request_id":"req_5f2b7c9d1e3a"}}}""";

    private ApiDocument() {
    }
}

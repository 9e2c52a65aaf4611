package dev.git.webhooks.api.auth;

import static dev.git.webhooks.api.body.Bodies.JSON_OBJECT;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.api.Page;
import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.common.Names;

/** {@code /v2/api-keys}: the admin issues, lists and revokes owners' keys and operators' keys (no owner). */
@Path("/v2/api-keys")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "API keys")
public class ApiKeyResource {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ApiKeyView(
            @Schema(example = "key_9ee0zbgj09tqm83xssss6y") String id,
            @Schema(example = "gdw_wxwcbyb6wk952swa0432cf1xmwcejz05xht5gmej", description = "The key itself: only "
                    + "in the answer that issues it.") String key,
            @Schema(example = "gdw_wxwcby", description = "Its first characters, to recognise it by.")
            String keyPrefix,
            @Schema(example = "acme", description = "Absent on an operator's key.") String owner,
            @Schema(example = "CI deploys") String name,
            @Schema(example = "[\"webhooks:read\", \"webhooks:write\"]") List<String> scopes,
            @Schema(example = "pro", description = "free, pro or enterprise.") String plan,
            @Schema(example = "600", description = "Requests a minute.") int rateLimit,
            @Schema(example = "2025-01-20T14:35:22Z") Instant createdAt,
            @Schema(example = "2025-01-21T08:12:05Z") Instant lastUsedAt) {

        static ApiKeyView of(ApiKey key, String secret) {
            return new ApiKeyView(key.id, secret, key.keyPrefix, key.owner, key.name, key.scopes, key.plan,
                    key.rateLimit, key.createdAt, key.lastUsedAt);
        }
    }

    private final ApiKeys keys;

    public ApiKeyResource(ApiKeys keys) {
        this.keys = keys;
    }

    @POST
    @Operation(summary = "Issue a key; the answer shows it, this once.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = CreateApiKey.class),
            examples = @ExampleObject(name = "owner key", value = """
                    {"owner":"acme","name":"CI","scopes":["webhooks:read","webhooks:write"],"plan":"pro"}""")))
    @APIResponse(responseCode = "201", description = "Issued, with the key.",
            content = @Content(schema = @Schema(implementation = ApiKeyView.class)))
    public Response create(@Valid @NotNull(message = JSON_OBJECT) CreateApiKey body) {
        FieldChecks checks = new FieldChecks();
        List<Scope> scopes = new ArrayList<>();
        for (String value : body.scopes()) {
            Optional<Scope> scope = Scope.of(value);
            checks.check(scope.isPresent(), "scopes", "has an unknown scope '" + value + "'");
            scope.filter(s -> !scopes.contains(s)).ifPresent(scopes::add);
        }
        boolean operator = scopes.stream().anyMatch(Scope::operator);
        checks.check(!operator || scopes.stream().allMatch(Scope::operator), "scopes",
                "cannot mix ops: scopes (an operator's key) with an owner's scopes");
        if (operator) {
            checks.check(body.owner() == null, "owner", "must be absent on an operator's key (ops: scopes)");
        } else {
            checks.check(body.owner() != null, "owner", "is required");
        }
        Plan plan = body.plan() == null ? Plan.FREE : Plan.of(body.plan()).orElseThrow();
        if (body.rateLimit() != null) {
            checks.check(plan == Plan.ENTERPRISE, "rate_limit", "can only be set on enterprise keys");
            checks.check(body.rateLimit() <= keys.maxRateLimit(), "rate_limit",
                    "must be from 1 to " + keys.maxRateLimit() + " requests a minute");
        }
        checks.throwIfAny();
        ApiKeys.Issued issued = keys.issue(body.owner(), body.name(), scopes, plan, body.rateLimit());
        return Response.status(201).entity(ApiKeyView.of(issued.key(), issued.secret())).build();
    }

    @GET
    public Page<ApiKeyView> list(@QueryParam("owner") String owner, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        PageRequest page = PageRequest.parse(limit, cursor);
        new FieldChecks().check(owner == null || Names.isOwner(owner), "owner", Names.OWNER_RULE).throwIfAny();
        return Page.of(keys.list(owner, page), page, k -> k.seq, k -> ApiKeyView.of(k, null));
    }

    @DELETE
    @Path("/{id}")
    @APIResponse(responseCode = "204", description = "Revoked.")
    public Response revoke(@PathParam("id") String id) {
        keys.revoke(id);
        return Response.noContent().build();
    }
}

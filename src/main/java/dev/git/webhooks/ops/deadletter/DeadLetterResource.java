package dev.git.webhooks.ops.deadletter;

import java.util.Base64;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.git.webhooks.api.Page;
import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.api.TimeRange;
import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.api.auth.RequiresScope;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.api.docs.ApiDocument;
import dev.git.webhooks.ops.OpsConfig;
import dev.git.webhooks.ops.audit.Audited;

/**
 * {@code /v2/ops/dead-letters?state=&reason=&since=&until=}: browse the dead-letter topic (as indexed), inspect,
 * redrive, discard.
 */
@Path("/v2/ops/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations")
public class DeadLetterResource {

    public static final List<String> STATES = List.of(DeadLetter.NEW, DeadLetter.REDRIVEN, DeadLetter.DISCARDED);

    /** The state and times of a list's filter, as the API and the console take them ({@link TimeRange#withState}). */
    public static TimeRange checkedFilter(String state, String since, String until) {
        return TimeRange.withState(state, STATES, since, until);
    }

    private final DeadLetters letters;
    private final OpsConfig config;
    private final CallerContext caller;

    public DeadLetterResource(DeadLetters letters, OpsConfig config, CallerContext caller) {
        this.letters = letters;
        this.config = config;
        this.caller = caller;
    }

    @GET
    @RequiresScope(value = Scope.OPS_READ, operator = Scope.OPS_READ)
    public Page<DeadLetterView> list(
            @Parameter(description = "Only dead letters in this state.", schema = @Schema(type = SchemaType.STRING,
                    enumeration = { DeadLetter.NEW, DeadLetter.REDRIVEN, DeadLetter.DISCARDED }))
            @QueryParam("state") String state, @QueryParam("reason") String reason,
            @Parameter(description = "Only records from this topic (`source_topic`): a producer's own.",
                    example = "deploy.success")
            @QueryParam("topic") String topic,
            @Parameter(description = "Only records dead-lettered at or after this time (RFC 3339).")
            @QueryParam("since") String since,
            @Parameter(description = "Only records dead-lettered before this time (RFC 3339).")
            @QueryParam("until") String until,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        PageRequest page = PageRequest.parse(limit, cursor);
        TimeRange range = checkedFilter(state, since, until);
        return Page.of(letters.list(state, reason, topic, range, page), page, d -> d.seq, d -> view(d, false));
    }

    @GET
    @Path("/{id}")
    @RequiresScope(value = Scope.OPS_READ, operator = Scope.OPS_READ)
    public DeadLetterView get(@PathParam("id") String id) {
        return view(letters.get(id), true);
    }

    @POST
    @Path("/{id}/redrive")
    @Audited("dead_letter.redrive")
    @RequiresScope(value = Scope.OPS_REPLAY, operator = Scope.OPS_REPLAY)
    @APIResponse(responseCode = "200", description = "Redriven.",
            content = @Content(schema = @Schema(implementation = DeadLetterView.class)))
    @APIResponse(responseCode = "409", ref = ApiDocument.CONFLICT)
    public DeadLetterView redrive(@PathParam("id") String id) {
        return view(letters.redrive(id, caller.caller().keyId()), true);
    }

    @POST
    @Path("/{id}/discard")
    @Audited("dead_letter.discard")
    @RequiresScope(value = Scope.OPS_REPLAY, operator = Scope.OPS_REPLAY)
    @APIResponse(responseCode = "200", description = "Discarded.",
            content = @Content(schema = @Schema(implementation = DeadLetterView.class)))
    @APIResponse(responseCode = "409", ref = ApiDocument.CONFLICT)
    public DeadLetterView discard(@PathParam("id") String id) {
        return view(letters.discard(id, caller.caller().keyId()), true);
    }

    /** The view of a letter; with its headers when shown alone. */
    public DeadLetterView view(DeadLetter letter, boolean withHeaders) {
        List<DeadLetterView.HeaderView> headers = !withHeaders ? null : letters.headers(letter).stream()
                .map(h -> new DeadLetterView.HeaderView(Preview.escape(h.get("name")),
                        Preview.of(Base64.getDecoder().decode(h.get("value")), 200)))
                .toList();
        return DeadLetterView.of(letter, config.deadLetters().previewBytes(), headers);
    }
}

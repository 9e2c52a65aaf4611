package dev.git.webhooks.ops.replay;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.api.Page;
import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.api.TimeRange;
import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.api.auth.RequiresScope;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.api.docs.ApiDocument;
import dev.git.webhooks.common.Names;
import dev.git.webhooks.ops.DeliveryFilter;
import dev.git.webhooks.ops.Replay;
import dev.git.webhooks.ops.OpsViews.ReplayView;
import dev.git.webhooks.ops.access.Owners;
import dev.git.webhooks.ops.audit.AuditContext;
import dev.git.webhooks.ops.audit.Audited;
import dev.git.webhooks.ops.request.BulkReplayRequest;

/**
 * {@code GET /v2/replays?owner=&webhook=&batch=&state=&since=&until=} (newest first, with progress), {@code POST /v2/replays} (a bulk replay over the endpoints
 * of one owner, by filter; {@code dry_run} only counts) and {@code POST /v2/replays/{id}/cancel}. Bean Validation
 * checks each field of the body alone; the owner a key may name and the filter's event types and times are checked
 * here.
 */
@Path("/v2/replays")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Replays")
public class ReplaysResource {

    /** The answer to a bulk replay. */
    public record BulkView(
            @Schema(example = "rpb_dj8fssz5awsh8vhtpre95b") String batchId,
            @Schema(example = "acme") String owner,
            @Schema(example = "false") boolean dryRun,
            @Schema(example = "120", description = "Deliveries to replay, over every replay.") int total,
            List<ReplayView> replays,
            @Schema(description = "Endpoints left out because they take no deliveries.")
            List<ReplayControl.Skipped> skipped) {
    }

    private final ReplayControl control;
    private final CallerContext caller;
    private final Owners owners;
    private final AuditContext audit;

    public ReplaysResource(ReplayControl control, CallerContext caller, Owners owners, AuditContext audit) {
        this.control = control;
        this.caller = caller;
        this.owners = owners;
        this.audit = audit;
    }

    @GET
    @RequiresScope(value = Scope.DELIVERIES_READ, operator = Scope.OPS_READ)
    public Page<ReplayView> list(@QueryParam("owner") String owner, @QueryParam("webhook") String webhook,
            @QueryParam("batch") String batch,
            @Parameter(description = "Only replays in this state.", schema = @Schema(type = SchemaType.STRING,
                    enumeration = { Replay.PENDING, Replay.RUNNING, Replay.COMPLETED, Replay.CANCELLED }))
            @QueryParam("state") String state,
            @Parameter(description = "Only replays created at or after this time (RFC 3339).")
            @QueryParam("since") String since,
            @Parameter(description = "Only replays created before this time (RFC 3339).")
            @QueryParam("until") String until,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        PageRequest page = PageRequest.parse(limit, cursor);
        String wanted = state == null || state.isBlank() ? null : state;
        TimeRange created = ReplayControl.checkedFilter(wanted, since, until);
        return Page.of(control.list(new ReplayControl.Filter(caller.ownerFilter(owner), webhook, batch, wanted,
                created), page), page, r -> r.seq, ReplayView::of);
    }

    @POST
    @Path("/{id}/cancel")
    @Audited("replay.cancel")
    @RequiresScope(value = Scope.DELIVERIES_REPLAY, operator = Scope.OPS_REPLAY)
    @APIResponse(responseCode = "200", description = "Cancelled.",
            content = @Content(schema = @Schema(implementation = ReplayView.class)))
    @APIResponse(responseCode = "409", ref = ApiDocument.CONFLICT)
    public ReplayView cancel(@PathParam("id") String id) {
        return ReplayView.of(control.cancel(owners.ofReplay(id), id));
    }

    @POST
    @Audited("replay.bulk")
    @RequiresScope(value = Scope.DELIVERIES_REPLAY, operator = Scope.OPS_REPLAY)
    @RequestBody(required = false, content = @Content(schema = @Schema(implementation = BulkReplayRequest.class),
            examples = @ExampleObject(name = "dry run", value = """
                    {"owner":"acme","status":"failed","dry_run":true}""")))
    @APIResponse(responseCode = "202", description = "One replay per endpoint.",
            content = @Content(schema = @Schema(implementation = BulkView.class)))
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND) // an id in webhooks that is not one of the owner's
    public Response bulk(@Valid BulkReplayRequest body) {
        BulkReplayRequest request = body == null ? BulkReplayRequest.DEFAULTS : body;
        if (request.dry()) {
            audit.action(Audited.REPLAY_DRY_RUN);
        }
        FieldChecks checks = new FieldChecks();
        String owner = request.owner();
        if (caller.operator()) {
            // its format is the body's constraint; whether it must be there depends on the key
            checks.check(owner != null, "owner", "is required: the owner whose endpoints to replay ("
                    + Names.OWNER_RULE + ")");
        } else {
            checks.check(owner == null || owner.equals(caller.owner()), "owner", "must be your own or absent");
            owner = caller.owner();
        }
        List<String> webhooks = request.webhooks() == null ? List.of() : request.webhooks();
        // what a replay may copy (failed or delivered), as for one endpoint's replay
        DeliveryFilter filter = DeliveryFilter.parseReplay(request.statusOrFailed(), request.events(),
                request.since(), request.until(), checks);
        checks.throwIfAny();
        audit.target("owner:" + owner);
        ReplayControl.Bulk bulk = control.bulk(owner, webhooks, filter, request.dry());
        return Response.accepted(new BulkView(bulk.batchId(), owner, bulk.dryRun(), bulk.total(),
                bulk.replays().stream().map(ReplayView::of).toList(), bulk.skipped())).build();
    }
}

package dev.git.webhooks.ops.console.operator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import dev.git.webhooks.ops.console.Pages;
import dev.git.webhooks.ops.console.Chrome;
import dev.git.webhooks.ops.console.Done;
import dev.git.webhooks.ops.console.Problems;
import dev.git.webhooks.ops.console.text.FormTimes;
import dev.git.webhooks.ops.console.text.Links;
import dev.git.webhooks.api.TimeRange;
import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.api.auth.ApiKey;
import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.ops.audit.Audited;
import dev.git.webhooks.ops.deadletter.DeadLetterResource;
import dev.git.webhooks.ops.deadletter.DeadLetterView;
import dev.git.webhooks.ops.deadletter.DeadLetters;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;

/**
 * {@code /console/dead-letters} (operators): records the service refused, by state and by when they were refused
 * (no default window); inspect, redrive, discard. Each action
 * asks first, saying what it does to which record. Redrive is the first choice only when it can help (the database
 * refused a valid record, or the record was too large for a limit that can be raised); for a record the producer
 * got wrong it would only be refused again, so discarding (once the producer publishes a corrected event) leads.
 */
@Path("/console/dead-letters")
public class DeadLetterPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance letters(Chrome chrome, List<DeadLetterView> rows, Filter filter, String next,
                Problems problems);

        static native TemplateInstance letter(Chrome chrome, DeadLetterView letter, boolean producerError,
                String changedByName);

        static native TemplateInstance confirm(Chrome chrome, DeadLetterView letter, String action,
                boolean producerError);
    }

    /** The list's filters as typed: a state, and from and to (UTC) when the records were refused. */
    @TemplateData
    public record Filter(String state, String since, String until) {

        public boolean any() {
            return !query().isEmpty();
        }

        /** What the "Older" link carries. */
        public String query() {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("state", state);
            params.put("since", since);
            params.put("until", until);
            return Links.query(params);
        }

        /** The times as the list reads them; a state or a time that is not one is a problem of its field. */
        TimeRange range() {
            return DeadLetterResource.checkedFilter(state, FormTimes.utc(since), FormTimes.utc(until));
        }
    }

    /** Reasons that a redrive can fix: not the record's fault (the database, a size limit since raised). */
    static final java.util.Set<String> RETRYABLE = java.util.Set.of("unstorable", "too_large");

    private final Pages pages;
    private final DeadLetters letters;
    private final DeadLetterResource views;
    private final CallerContext caller;

    public DeadLetterPages(Pages pages, DeadLetters letters, DeadLetterResource views, CallerContext caller) {
        this.pages = pages;
        this.letters = letters;
        this.views = views;
        this.caller = caller;
    }

    @GET
    public Response list(@QueryParam("state") String state, @QueryParam("since") String since,
            @QueryParam("until") String until, @QueryParam("cursor") String cursor,
            @QueryParam("notice") String notice) {
        Filter filter = new Filter(blank(state), blank(since), blank(until));
        return pages.page(() -> {
            pages.operatorsOnly();
            pages.require(Scope.OPS_READ, Scope.OPS_READ);
            PageRequest page = PageRequest.parse(null, cursor);
            var found = dev.git.webhooks.api.Page.of(letters.list(filter.state(), null, null, filter.range(), page), page,
                    d -> d.seq, d -> views.view(d, false));
            return Templates.letters(pages.chrome("Dead letters", "dead-letters", notice), found.data(), filter,
                    found.pagination().nextCursor(), Problems.NONE);
        }, problems -> Templates.letters(pages.chrome("Dead letters", "dead-letters", null), List.of(), filter, null,
                problems));
    }

    @GET
    @Path("/{id}")
    public Response show(@PathParam("id") String id, @QueryParam("notice") String notice) {
        return pages.page(() -> {
            pages.operatorsOnly();
            pages.require(Scope.OPS_READ, Scope.OPS_READ);
            DeadLetterView letter = views.view(letters.get(id), true);
            return Templates.letter(pages.chrome("Dead letter " + id, "dead-letters", notice), letter,
                    producerError(letter), keyName(letter.stateChangedBy()));
        });
    }

    /** Asks before a redrive or a discard, saying what it does to this record. */
    @GET
    @Path("/{id}/{action: redrive|discard}")
    public Response confirm(@PathParam("id") String id, @PathParam("action") String action) {
        return pages.page(() -> {
            pages.operatorsOnly();
            pages.require(Scope.OPS_REPLAY, Scope.OPS_REPLAY);
            DeadLetterView letter = views.view(letters.get(id), false);
            return Templates.confirm(pages.chrome(("redrive".equals(action) ? "Redrive " : "Discard ") + id,
                    "dead-letters", null), letter, action, producerError(letter));
        });
    }

    /** Whether the producer wrote the record wrong: publishing the same bytes again is refused again. */
    static boolean producerError(DeadLetterView letter) {
        return !RETRYABLE.contains(letter.reason());
    }

    @POST
    @Path("/{id}/redrive")
    @Audited("dead_letter.redrive")
    public Response redrive(@PathParam("id") String id, @FormParam("_csrf") String csrf) {
        return pages.action(csrf, () -> {
            pages.operatorsOnly();
            pages.require(Scope.OPS_REPLAY, Scope.OPS_REPLAY);
            DeadLetterView letter = views.view(letters.get(id), false);
            letters.redrive(id, caller.caller().keyId());
            return Done.ok("/console/dead-letters/" + id + "?notice=redriven", "Published back to "
                    + letter.source().topic());
        });
    }

    @POST
    @Path("/{id}/discard")
    @Audited("dead_letter.discard")
    public Response discard(@PathParam("id") String id, @FormParam("_csrf") String csrf) {
        return pages.action(csrf, () -> {
            pages.operatorsOnly();
            pages.require(Scope.OPS_REPLAY, Scope.OPS_REPLAY);
            letters.discard(id, caller.caller().keyId());
            return Done.ok("/console/dead-letters/" + id + "?notice=discarded", "Discarded");
        });
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** The name of the key that changed a letter's state, as the audit page shows it; null: none, or a key deleted. */
    private static String keyName(String keyId) {
        ApiKey key = keyId == null ? null : ApiKey.findById(keyId);
        return key == null ? null : key.name;
    }
}

package dev.git.webhooks.ops.console.operator;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import dev.git.webhooks.ops.console.Pages;
import dev.git.webhooks.ops.console.Chrome;
import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.ops.audit.Audited;
import dev.git.webhooks.ops.deadletter.DeadLetterResource;
import dev.git.webhooks.ops.deadletter.DeadLetterView;
import dev.git.webhooks.ops.deadletter.DeadLetters;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** {@code /console/dead-letters} (operators): records the service refused; inspect, redrive, discard. */
@Path("/console/dead-letters")
public class DeadLetterPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance letters(Chrome chrome, List<DeadLetterView> rows, String state, String next);

        static native TemplateInstance letter(Chrome chrome, DeadLetterView letter);
    }

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
    public Response list(@QueryParam("state") String state, @QueryParam("cursor") String cursor,
            @QueryParam("notice") String notice) {
        return pages.page(() -> {
            pages.operatorsOnly();
            pages.require(Scope.OPS_READ, Scope.OPS_READ);
            PageRequest page = PageRequest.parse(null, cursor);
            var found = dev.git.webhooks.api.Page.of(letters.list(blank(state), null, page), page, d -> d.seq,
                    d -> views.view(d, false));
            return Templates.letters(pages.chrome("Dead letters", "dead-letters", notice, 0), found.data(),
                    blank(state), found.pagination().nextCursor());
        });
    }

    @GET
    @Path("/{id}")
    public Response show(@PathParam("id") String id, @QueryParam("notice") String notice) {
        return pages.page(() -> {
            pages.operatorsOnly();
            pages.require(Scope.OPS_READ, Scope.OPS_READ);
            return Templates.letter(pages.chrome("Dead letter " + id, "dead-letters", notice, 0),
                    views.view(letters.get(id), true));
        });
    }

    @POST
    @Path("/{id}/redrive")
    @Audited("dead_letter.redrive")
    public Response redrive(@PathParam("id") String id, @FormParam("_csrf") String csrf) {
        return pages.action(csrf, () -> {
            pages.operatorsOnly();
            pages.require(Scope.OPS_REPLAY, Scope.OPS_REPLAY);
            letters.redrive(id, caller.caller().keyId());
            return URI.create("/console/dead-letters/" + id + "?notice=redriven");
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
            return URI.create("/console/dead-letters/" + id + "?notice=discarded");
        });
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}

package dev.git.webhooks.ops.console.replay;

import java.util.List;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;

import dev.git.webhooks.ops.health.EndpointLists;
import dev.git.webhooks.ops.health.EndpointLists.Label;
import dev.git.webhooks.ops.replay.ReplayRuns.Run;
import io.quarkus.qute.TemplateData;

/** Replay runs as rows: the run and the name of its endpoint when it covers one. */
@ApplicationScoped
public class RunRows {

    /** A run with its endpoint's name (null for a run over several endpoints, or a deleted one). */
    @TemplateData
    public record RunRow(Run run, Label endpoint) {

        /** "CI of acme/api", "31 endpoints" or the id of a deleted endpoint. */
        public String endpointName() {
            if (run.endpointId() == null) {
                return run.endpoints() + " endpoints";
            }
            return endpoint == null ? run.endpointId() : endpoint.name();
        }
    }

    private final EndpointLists endpoints;

    public RunRows(EndpointLists endpoints) {
        this.endpoints = endpoints;
    }

    public List<RunRow> of(List<Run> runs) {
        var labels = endpoints.labels(runs.stream().map(Run::endpointId).filter(Objects::nonNull).toList());
        return runs.stream().map(r -> new RunRow(r, r.endpointId() == null ? null : labels.get(r.endpointId())))
                .toList();
    }
}

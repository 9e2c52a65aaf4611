package dev.git.webhooks.api.docs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.function.Executable;

import dev.git.webhooks.client.ApiClient;
import dev.git.webhooks.client.ApiException;
import dev.git.webhooks.client.api.ApiKeysApi;
import dev.git.webhooks.client.api.DeliveriesApi;
import dev.git.webhooks.client.api.EventTypesApi;
import dev.git.webhooks.client.api.OperationsApi;
import dev.git.webhooks.client.api.ReplaysApi;
import dev.git.webhooks.client.api.WebhooksApi;
import dev.git.webhooks.client.model.ApiKeyView;
import dev.git.webhooks.client.model.BulkReplayRequest;
import dev.git.webhooks.client.model.BulkView;
import dev.git.webhooks.client.model.CreateApiKey;
import dev.git.webhooks.client.model.CreateWebhook;
import dev.git.webhooks.client.model.DeadLetterView;
import dev.git.webhooks.client.model.DeliveryView;
import dev.git.webhooks.client.model.EnableRequest;
import dev.git.webhooks.client.model.Enabled;
import dev.git.webhooks.client.model.EndpointHealth;
import dev.git.webhooks.client.model.ErrorEnvelope;
import dev.git.webhooks.client.model.EventSummary;
import dev.git.webhooks.client.model.EventType;
import dev.git.webhooks.client.model.EventView;
import dev.git.webhooks.client.model.Kind;
import dev.git.webhooks.client.model.RecoverRequest;
import dev.git.webhooks.client.model.ReplayRequest;
import dev.git.webhooks.client.model.ReplayView;
import dev.git.webhooks.client.model.RotateSecret;
import dev.git.webhooks.client.model.Sent;
import dev.git.webhooks.client.model.UpdateWebhook;
import dev.git.webhooks.client.model.WebhookView;
import dev.git.webhooks.common.Ids;
import dev.git.webhooks.ops.Replays;
import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A client generated from docs/openapi.yaml at build time (openapi-generator, java.net.http; see the pom) drives
 * every operation of the document against the running service, each at least once, reading the typed answer (or the
 * typed error): what the document says is what the service does. Every request is recorded against its operation,
 * and once the whole class has run, an operation of the document that no test called fails it.
 */
@QuarkusTest
class GeneratedClientTest {

    private static final DocumentedOperations DOCUMENT = document();
    private static final Set<String> RAN = ConcurrentHashMap.newKeySet();

    @TestHTTPResource("/")
    URI root;

    @AfterEach
    void ran(TestInfo test) {
        RAN.add(test.getTestMethod().orElseThrow().getName());
    }

    /** After a run of the whole class (a run of some of its tests proves nothing about the others). */
    @AfterAll
    static void everyOperationOfTheDocumentIsCalled() {
        Set<String> tests = Arrays.stream(GeneratedClientTest.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Test.class)).map(Method::getName).collect(Collectors.toSet());
        if (RAN.containsAll(tests)) {
            System.out.printf("Generated client: %d of the %d operations of docs/openapi.yaml called%n",
                    DOCUMENT.all().size() - DOCUMENT.uncalled().size(), DOCUMENT.all().size());
            assertThat("operations of docs/openapi.yaml that no test calls through the generated client",
                    DOCUMENT.uncalled(), empty());
        }
    }

    @Test
    void managesAWebhookFromCreationToDeletion() throws Exception {
        Api.Owner owner = Api.newOwner();
        WebhooksApi webhooks = new WebhooksApi(client(owner.key()));
        String path = Receivers.newPath();
        Receivers.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(path)
                .willReturn(aResponse().withStatus(200)));
        WebhookView created = webhooks.v2WebhooksPost(new CreateWebhook().url(Receivers.url(path))
                .events(List.of("repo.push")).description("from the generated client"));
        assertThat(created.getId(), startsWith("wh_"));
        assertThat(created.getSecret(), startsWith("whsec_"));
        assertThat(created.getEvents(), equalTo(List.of("repo.push")));
        String id = created.getId();

        assertThat(webhooks.v2WebhooksGet(null, 100, null).getData().stream().map(WebhookView::getId).toList(),
                hasItem(id));
        WebhookView read = webhooks.v2WebhooksIdGet(id);
        assertThat(read.getUrl(), equalTo(Receivers.url(path)));
        assertThat("the secret is shown once", read.getSecret(), nullValue());

        WebhookView patched = webhooks.v2WebhooksIdPatch(id, new UpdateWebhook().description("patched")
                .events(List.of("repo.push", "deploy.success")));
        assertThat(patched.getDescription(), equalTo("patched"));
        assertThat(patched.getEvents(), equalTo(List.of("repo.push", "deploy.success")));

        WebhookView rotated = webhooks.v2WebhooksIdRotateSecretPost(id, new RotateSecret().gracePeriodSeconds(60L));
        assertThat(rotated.getSecret(), startsWith("whsec_"));
        assertThat(rotated.getSecret(), not(equalTo(created.getSecret())));
        assertThat(rotated.getPreviousSecretExpiresAt(), notNullValue());

        Sent ping = webhooks.v2WebhooksIdPingPost(id);
        assertThat(ping.getDeliveryId(), startsWith("dlv_"));
        assertThat(ping.getEventId(), notNullValue());
        assertThat("no ownership check asked for", read.getOwnership(), nullValue());
        assertError(() -> webhooks.v2WebhooksIdVerifyOwnershipPost(id), 409, "conflict");

        WebhookView disabled = webhooks.v2WebhooksIdDisablePost(id);
        assertThat(disabled.getStatus(), equalTo("disabled"));
        assertThat(disabled.getDisabledReason(), equalTo("owner"));
        Enabled enabled = webhooks.v2WebhooksIdEnablePost(id, new EnableRequest());
        assertThat(enabled.getWebhook().getStatus(), equalTo("enabled"));
        assertThat("no replay asked for", enabled.getReplay(), nullValue());

        webhooks.v2WebhooksIdDelete(id);
        assertError(() -> webhooks.v2WebhooksIdGet(id), 404, "not_found");
    }

    @Test
    void readsTheValidationErrorEnvelope() throws Exception {
        WebhooksApi webhooks = new WebhooksApi(client(Api.newOwner().key()));
        ApiException refused = assertThrows(ApiException.class,
                () -> webhooks.v2WebhooksPost(new CreateWebhook().url("ftp://127.0.0.1/x").events(List.of("*"))));
        assertThat(refused.getCode(), equalTo(400));
        ErrorEnvelope envelope = envelope(refused);
        assertThat(envelope.getError().getCode(), equalTo("validation_failed"));
        assertThat(envelope.getError().getDetails().getFields().get(0).getField(), equalTo("url"));
        assertThat(envelope.getError().getDetails().getRequestId(), startsWith("req_"));
    }

    @Test
    void followsADeliveryAndItsEventAndRedeliversIt() throws Exception {
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(200));
        DeliveriesApi deliveries = new DeliveriesApi(client(owner.key()));
        DeliveryView listed = delivered(deliveries, owner, hook);

        DeliveryView delivery = deliveries.v2DeliveriesIdGet(listed.getId());
        assertThat(delivery.getStatus(), equalTo("delivered"));
        assertThat(delivery.getWebhookId(), equalTo(hook.id()));
        assertThat(delivery.getAttemptLog(), hasSize(1));
        assertThat(delivery.getAttemptLog().get(0).getResponseStatus(), equalTo(200));

        List<String> events = deliveries.v2EventsGet(null, 100, null, null, null, List.of("repo.push"), null)
                .getData().stream().map(EventSummary::getId).toList();
        assertThat(events, hasItem(delivery.getEventId()));
        EventView event = deliveries.v2EventsIdGet(delivery.getEventId());
        assertThat(event.getType(), equalTo("repo.push"));
        assertThat(event.getOwner(), equalTo(owner.name()));
        assertThat(event.getDeliveries().stream().map(DeliveryView::getId).toList(), hasItem(delivery.getId()));

        DeliveryView again = deliveries.v2DeliveriesIdRedeliverPost(delivery.getId());
        assertThat(again.getRedeliveryOf(), equalTo(delivery.getId()));
        assertThat(again.getId(), not(equalTo(delivery.getId())));
        await("the redelivery is sent").atMost(Duration.ofSeconds(10))
                .until(() -> Receivers.received(hook.path()).size() == 2);
    }

    @Test
    void browsesTheEventTypeCatalog() throws Exception {
        EventTypesApi types = new EventTypesApi(client(Api.newOwner().key()));
        assertThat(types.v2EventTypesGet(null, 100).getData().stream().map(EventType::getName).toList(),
                hasItems("repo.push", "deploy.success", "ping"));
        EventType push = types.v2EventTypesNameGet("repo.push");
        assertThat(push.getKind(), equalTo(Kind.PLATFORM));
        assertThat(push.getSchema(), notNullValue());
        assertError(() -> types.v2EventTypesNameGet("no.such.type"), 404, "not_found");
    }

    @Test
    void replaysRecoversAndCancels() throws Exception {
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(200));
        ApiClient client = client(owner.key());
        ReplaysApi replays = new ReplaysApi(client);
        delivered(new DeliveriesApi(client), owner, hook);

        ReplayView dry = replays.v2WebhooksIdReplayPost(hook.id(), new ReplayRequest()
                .status(ReplayRequest.StatusEnum.DELIVERED).dryRun(true));
        assertThat(dry.getDryRun(), equalTo(true));
        assertThat(dry.getTotal(), equalTo(1));
        assertThat(replays.v2ReplaysIdGet(dry.getId()).getState(), equalTo("completed"));

        BulkView bulk = replays.v2ReplaysPost(new BulkReplayRequest().status(BulkReplayRequest.StatusEnum.DELIVERED)
                .dryRun(true));
        assertThat(bulk.getBatchId(), startsWith("rpb_"));
        assertThat(bulk.getReplays().stream().map(ReplayView::getWebhookId).toList(), equalTo(List.of(hook.id())));
        assertThat(bulk.getTotal(), equalTo(1));

        ReplayView recover = replays.v2WebhooksIdRecoverPost(hook.id(), new RecoverRequest()
                .since(OffsetDateTime.now().minusHours(1)));
        assertThat(recover.getFilter().getStatus(), equalTo("recover"));

        String waiting;
        try (Db.HeldLock runnerPaused = Db.holdLock(Replays.LOCK)) {
            ReplayView live = replays.v2WebhooksIdReplayPost(hook.id(), new ReplayRequest()
                    .status(ReplayRequest.StatusEnum.DELIVERED));
            assertThat(live.getState(), equalTo("pending"));
            waiting = live.getId();
            new WebhooksApi(client).v2WebhooksIdDisablePost(hook.id()); // the runner leaves a disabled one's replays
        }
        assertThat(replays.v2ReplaysIdCancelPost(waiting).getState(), equalTo("cancelled"));
        assertError(() -> replays.v2ReplaysIdCancelPost(waiting), 409, "conflict");
        assertThat(replays.v2ReplaysGet(null, null, 100, null, null, null, null, hook.id()).getData().stream().map(ReplayView::getId)
                .toList(), hasItems(dry.getId(), recover.getId(), waiting));
    }

    @Test
    void operatesAcrossOwnersAndHandlesDeadLetters() throws Exception {
        OperationsApi ops = new OperationsApi(client(Api.newOperatorKey(List.of("ops:read", "ops:replay"))));
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(200));
        DeliveryView delivered = delivered(new DeliveriesApi(client(owner.key())), owner, hook);

        assertThat(ops.v2OpsDeliveriesGet(null, hook.id(), null, null, 100, owner.name(), null, null, null).getData()
                .stream().map(DeliveryView::getId).toList(), equalTo(List.of(delivered.getId())));
        List<EndpointHealth> health = ops.v2OpsEndpointsGet(null, 100, owner.name(), null, null, null).getData();
        assertThat(health.stream().map(EndpointHealth::getWebhookId).toList(), equalTo(List.of(hook.id())));
        assertThat(health.get(0).getState(), equalTo("enabled"));

        String discarded = Kafka.newEventId();
        String redriven = Kafka.newEventId();
        for (String event : List.of(discarded, redriven)) {
            Kafka.publishDeadLetter("deploy.success", "unstorable", Kafka.event("deploy.success", event,
                    owner.name(), null));
        }
        String discard = await().atMost(Duration.ofSeconds(15)).until(() -> letter(ops, discarded),
                Optional::isPresent).orElseThrow().getId();
        String redrive = await().atMost(Duration.ofSeconds(15)).until(() -> letter(ops, redriven),
                Optional::isPresent).orElseThrow().getId();
        DeadLetterView letter = ops.v2OpsDeadLettersIdGet(discard);
        assertThat(letter.getState(), equalTo("new"));
        assertThat(letter.getSource().getTopic(), equalTo("deploy.success"));
        assertThat(letter.getDlq().getTopic(), equalTo("webhooks.dlq"));

        assertThat(ops.v2OpsDeadLettersIdDiscardPost(discard).getState(), equalTo("discarded"));
        assertThat(ops.v2OpsDeadLettersIdRedrivePost(redrive).getState(), equalTo("redriven"));
        assertError(() -> ops.v2OpsDeadLettersIdRedrivePost(discard), 409, "conflict");
        assertThat(ops.v2OpsAuditGet("dead_letter.discard", null, null, 10, null, discard, null).getData().stream()
                .map(a -> a.getResult()).toList(), equalTo(List.of("succeeded")));
    }

    @Test
    void issuesListsAndRevokesApiKeys() throws Exception {
        ApiKeysApi keys = new ApiKeysApi(client(Api.ADMIN_KEY));
        String owner = "org-" + Ids.random(10);
        ApiKeyView created = keys.v2ApiKeysPost(new CreateApiKey().owner(owner).name("generated client")
                .scopes(List.of("webhooks:read")).plan(CreateApiKey.PlanEnum.FREE));
        assertThat(created.getId(), startsWith("key_"));
        assertThat(created.getKey(), startsWith("gdw_"));
        List<ApiKeyView> listed = keys.v2ApiKeysGet(null, 100, owner).getData();
        assertThat(listed.stream().map(ApiKeyView::getId).toList(), equalTo(List.of(created.getId())));
        assertThat("the key is shown once", listed.get(0).getKey(), nullValue());

        WebhooksApi withKey = new WebhooksApi(client(created.getKey()));
        assertThat(withKey.v2WebhooksGet(null, 10, null).getData(), empty());
        keys.v2ApiKeysIdDelete(created.getId());
        assertError(() -> withKey.v2WebhooksGet(null, 10, null), 401, "invalid_api_key");
    }

    /** A repo.push published for {@code owner} and delivered to {@code hook}: its delivery, as listed. */
    private static DeliveryView delivered(DeliveriesApi deliveries, Api.Owner owner, Api.Hook hook) {
        Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", Kafka.newEventId(), owner.name(), null));
        return await("delivered").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> deliveries.v2WebhooksIdDeliveriesGet(hook.id(), null, null, 10, null, "delivered", null)
                        .getData(), hasSize(1)).get(0);
    }

    private static Optional<DeadLetterView> letter(OperationsApi ops, String marker) throws ApiException {
        return ops.v2OpsDeadLettersGet(null, 100, "unstorable", null, null, null, null).getData().stream()
                .filter(l -> l.getPreview() != null && String.valueOf(l.getPreview().getText()).contains(marker))
                .findFirst();
    }

    /** A client that sends {@code key} and records the operation of every request. */
    private ApiClient client(String key) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(root.toString().replaceAll("/$", ""));
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + key));
        client.setResponseInterceptor(response -> DOCUMENT.called(response.request()));
        return client;
    }

    /** The call fails with this status and the error envelope of this code, read as the document's type. */
    private static void assertError(Executable call, int status, String code) throws Exception {
        ApiException e = assertThrows(ApiException.class, call);
        assertThat(e.getCode(), equalTo(status));
        ErrorEnvelope envelope = envelope(e);
        assertThat(envelope.getError().getCode(), equalTo(code));
        assertThat(envelope.getError().getStatus(), equalTo(status));
    }

    private static ErrorEnvelope envelope(ApiException e) throws Exception {
        return new ApiClient().getObjectMapper().readValue(e.getResponseBody(), ErrorEnvelope.class);
    }

    private static DocumentedOperations document() {
        try {
            return new DocumentedOperations(Path.of("docs", "openapi.yaml"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read docs/openapi.yaml", e);
        }
    }
}

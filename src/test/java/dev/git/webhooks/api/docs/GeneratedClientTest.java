package dev.git.webhooks.api.docs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.git.webhooks.client.ApiClient;
import dev.git.webhooks.client.ApiException;
import dev.git.webhooks.client.api.WebhooksApi;
import dev.git.webhooks.client.model.CreateWebhook;
import dev.git.webhooks.client.model.ErrorEnvelope;
import dev.git.webhooks.client.model.RotateSecret;
import dev.git.webhooks.client.model.WebhookView;
import dev.git.webhooks.testing.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A client generated from docs/openapi.yaml at build time (openapi-generator, java.net.http; see the pom) manages a
 * webhook against the running service: what the document says is what the service does, schemas and errors alike.
 */
@QuarkusTest
class GeneratedClientTest {

    private static final String URL = "http://127.0.0.1:9/generated-client";

    @TestHTTPResource("/")
    URI root;

    private ApiClient client;
    private WebhooksApi webhooks;

    @BeforeEach
    void client() {
        Api.Owner owner = Api.newOwner();
        client = new ApiClient();
        client.updateBaseUri(root.toString().replaceAll("/$", ""));
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + owner.key()));
        webhooks = new WebhooksApi(client);
    }

    @Test
    void createsListsRotatesAndDeletesAWebhook() throws Exception {
        WebhookView created = webhooks.v2WebhooksPost(new CreateWebhook().url(URL).events(List.of("repo.push"))
                .description("from the generated client"));
        assertThat(created.getId(), startsWith("wh_"));
        assertThat(created.getSecret(), startsWith("whsec_"));
        assertThat(created.getEvents(), equalTo(List.of("repo.push")));

        List<String> listed = webhooks.v2WebhooksGet(null, 100, null).getData().stream().map(WebhookView::getId)
                .toList();
        assertThat(listed, hasItem(created.getId()));

        WebhookView rotated = webhooks.v2WebhooksIdRotateSecretPost(created.getId(),
                new RotateSecret().gracePeriodSeconds(60L));
        assertThat(rotated.getSecret(), startsWith("whsec_"));
        assertThat(rotated.getSecret(), not(equalTo(created.getSecret())));
        assertThat(rotated.getPreviousSecretExpiresAt(), notNullValue());

        webhooks.v2WebhooksIdDelete(created.getId());
        ApiException gone = assertThrows(ApiException.class, () -> webhooks.v2WebhooksIdGet(created.getId()));
        assertThat(gone.getCode(), equalTo(404));
        assertThat(envelope(gone).getError().getCode(), equalTo("not_found"));
    }

    @Test
    void readsTheValidationErrorEnvelope() throws Exception {
        ApiException refused = assertThrows(ApiException.class,
                () -> webhooks.v2WebhooksPost(new CreateWebhook().url("ftp://127.0.0.1/x").events(List.of("*"))));
        assertThat(refused.getCode(), equalTo(400));
        ErrorEnvelope envelope = envelope(refused);
        assertThat(envelope.getError().getCode(), equalTo("validation_failed"));
        assertThat(envelope.getError().getDetails().getFields().get(0).getField(), equalTo("url"));
        assertThat(envelope.getError().getDetails().getRequestId(), startsWith("req_"));
    }

    private ErrorEnvelope envelope(ApiException e) throws Exception {
        return client.getObjectMapper().readValue(e.getResponseBody(), ErrorEnvelope.class);
    }
}

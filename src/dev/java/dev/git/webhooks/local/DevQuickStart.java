package dev.git.webhooks.local;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.git.webhooks.common.RequiredSettings;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Dev mode only: prints how to call the service, and publishes sample events to the embedded Kafka (the same path
 * that producers take). {@link DevReceiver} plays the customer's endpoint.
 */
@IfBuildProfile("dev")
@Path("/dev")
public class DevQuickStart {

    private static final Logger LOG = Logger.getLogger(DevQuickStart.class);

    private final LocalInfrastructure local;
    private final RequiredSettings settings;
    private final Config config;
    private final ObjectMapper json;
    private KafkaProducer<byte[], byte[]> producer;

    public DevQuickStart(LocalInfrastructure local, RequiredSettings settings, Config config, ObjectMapper json) {
        this.local = local;
        this.settings = settings;
        this.config = config;
        this.json = json;
    }

    void banner(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER + 100) StartupEvent event) {
        String base = "http://localhost:" + config.getOptionalValue("quarkus.http.port", Integer.class).orElse(8080);
        // health, metrics and the OpenAPI UI are on the management interface, a port of their own
        String management = "http://localhost:"
                + config.getOptionalValue("quarkus.management.port", Integer.class).orElse(9000);
        String all = "[\"webhooks:read\",\"webhooks:write\",\"deliveries:read\",\"deliveries:replay\"]";
        LOG.info("""

                ================ git.dev Webhooks (dev mode) ================
                API            %1$s/v2      OpenAPI UI %6$s/q/swagger-ui
                Kafka          %2$s (topics repo.push, deploy.success, deploy.failed, pr.merged)
                PostgreSQL     %3$s (user postgres)
                Admin key      %4$s

                Paste into a shell:

                ADMIN_KEY=%4$s
                API_KEY=$(curl -s %1$s/v2/api-keys -H "Authorization: Bearer $ADMIN_KEY" \\
                  -H 'Content-Type: application/json' -d '{"owner":"acme","plan":"pro","scopes":%5$s}' \\
                  | sed -E 's/.*"key":"([^"]+)".*/\\1/')
                curl -s %1$s/v2/webhooks -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' \\
                  -d '{"url":"%1$s/dev/receiver","events":["*"]}'
                curl -s %1$s/dev/events -H 'Content-Type: application/json' -d '{"event":"deploy.success",\
                "id":"evt_'$(date +%%s)'","timestamp":"2025-01-20T14:35:22Z","owner":"acme","repo":"acme/backend-api",\
                "data":{"deployment_id":"dep_7x92m","url":"https://prod.acme.git.dev","duration_ms":2400}}'
                sleep 1; curl -s %1$s/dev/receiver

                The last command lists what the built-in receiver got; this log shows each delivery too.
                =============================================================
                """.formatted(base, local.bootstrapServers(), local.jdbcUrl(), settings.adminKey(), all,
                management));
    }

    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }

    /** Publishes the body, exactly as sent, to the topic named by its "event" field (or ?topic=). */
    @POST
    @Path("/events")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response publish(byte[] body, @QueryParam("topic") String topic) throws Exception {
        String target = topic;
        String key = null;
        if (target == null) {
            JsonNode event = json.readTree(body);
            target = event.path("event").asText(null);
            key = event.path("owner").asText(null);
        }
        if (target == null) {
            return Response.status(400).entity(Map.of("error", "name the topic: an \"event\" field or ?topic="))
                    .build();
        }
        RecordMetadata sent = producer().send(new ProducerRecord<>(target,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), body))
                .get(10, TimeUnit.SECONDS);
        return Response.accepted(Map.of("topic", sent.topic(), "partition", sent.partition(),
                "offset", sent.offset())).build();
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Properties props = new Properties();
            props.put("bootstrap.servers", local.bootstrapServers());
            props.put("key.serializer", ByteArraySerializer.class.getName());
            props.put("value.serializer", ByteArraySerializer.class.getName());
            producer = new KafkaProducer<>(props);
        }
        return producer;
    }
}

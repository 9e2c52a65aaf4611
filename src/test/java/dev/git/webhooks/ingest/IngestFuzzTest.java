package dev.git.webhooks.ingest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import dev.git.webhooks.common.Ids;
import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.test.junit.QuarkusTest;

/**
 * 10,000 malformed records of every kind among 1,000 valid ones, on the real broker and PostgreSQL: every malformed
 * record is in the dead-letter topic with its reason (counted by source offset), every valid one is delivered, and
 * the consumer is still alive afterwards.
 */
@QuarkusTest
class IngestFuzzTest {

    private static final long SEED = 20_261_125L;
    private static final int VALID = 1_000;
    private static final int MALFORMED = 10_000;
    private static final int OVERSIZED = 20;
    private static final int NEAR_BROKER_LIMIT = 2;

    @Test
    void deadLettersEveryMalformedRecordWithItsReasonAndDeliversEveryValidOne() throws Exception {
        long started = System.nanoTime();
        List<Api.Owner> owners = new ArrayList<>();
        List<Api.Hook> hooks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            owners.add(Api.newOwner());
            hooks.add(Api.hook(owners.get(i), aResponse().withStatus(204)));
        }
        FuzzCorpus corpus = new FuzzCorpus(SEED, Ids.random(6), owners.stream().map(Api.Owner::name).toList());
        List<FuzzCorpus.Sample> samples = new ArrayList<>();
        for (int i = 0; i < VALID; i++) {
            samples.add(corpus.valid());
        }
        for (int i = 0; i < MALFORMED - OVERSIZED - NEAR_BROKER_LIMIT; i++) {
            samples.add(corpus.malformed(i));
        }
        for (int i = 0; i < OVERSIZED; i++) {
            samples.add(corpus.oversized(16_384 + i * 1_000));
        }
        for (int i = 0; i < NEAR_BROKER_LIMIT; i++) {
            samples.add(BrokerLimit.largestAccepted(corpus::oversized));
        }
        Collections.shuffle(samples, new Random(SEED));

        Map<String, FuzzCorpus.Sample> malformed = new HashMap<>();
        Set<String> validIds = new HashSet<>();
        Set<String> validOffsets = new HashSet<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (FuzzCorpus.Sample s : samples) {
            sent.add(Kafka.producer().send(new ProducerRecord<>(s.topic(), s.key(), s.value())));
        }
        for (int i = 0; i < samples.size(); i++) {
            RecordMetadata at = sent.get(i).get(30, TimeUnit.SECONDS);
            String offset = at.topic() + "/" + at.partition() + "@" + at.offset();
            FuzzCorpus.Sample s = samples.get(i);
            if (s.reason() == null) {
                validOffsets.add(offset);
                validIds.add(DeadLetterReader.eventId(s.value()));
            } else {
                malformed.put(offset, s);
            }
        }
        long published = System.nanoTime();

        DeadLetterReader letters = new DeadLetterReader();
        await("every malformed record dead-lettered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> letters.readMore().keySet().containsAll(malformed.keySet()));
        Map<String, Integer> perReason = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        malformed.forEach((offset, sample) -> {
            DeadLetterReader.Letter letter = letters.all().get(offset);
            perReason.merge(letter.reason(), 1, Integer::sum);
            if (!sample.reason().equals(letter.reason())) {
                wrong.add(sample.kind() + " at " + offset + ": " + letter.reason() + " (" + letter.message() + ")");
            }
        });
        assertEquals(List.of(), wrong.stream().limit(20).toList(), wrong.size() + " records with the wrong reason");
        Set<String> validLettered = intersection(letters.all().keySet(), validOffsets);
        assertEquals(Set.of(), validLettered, () -> "valid records dead-lettered: " + validLettered.stream()
                .map(o -> o + " " + letters.all().get(o)).toList());
        long truncated = malformed.keySet().stream().filter(o -> letters.all().get(o).truncated()).count();
        assertEquals(NEAR_BROKER_LIMIT, truncated, "the dead letters too large for the broker went out truncated");

        await("every valid event delivered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> delivered(hooks).size() >= VALID);
        List<String> delivered = delivered(hooks);
        assertEquals(validIds, new HashSet<>(delivered), "the valid events, and only they, were delivered");
        assertEquals(VALID, delivered.size(), "each once");
        long done = System.nanoTime();

        String fresh = Kafka.newEventId();
        Kafka.publish("repo.push", owners.get(0).name(),
                Kafka.event("repo.push", fresh, owners.get(0).name(), null));
        await("the consumer is alive").atMost(Duration.ofSeconds(15))
                .until(() -> delivered(hooks).contains(fresh));

        System.out.printf("Ingest fuzz: %d records (%d valid, %d malformed) published in %d ms; dead letters by "
                + "reason %s (%d truncated); %d valid delivered; all done %d ms after publishing (%d ms in all)%n",
                samples.size(), VALID, malformed.size(), ms(started, published), perReason, truncated,
                delivered.size(), ms(published, done), ms(started, System.nanoTime()));
        assertThat("bounded", ms(started, System.nanoTime()), lessThan(90_000L));
    }

    private static List<String> delivered(List<Api.Hook> hooks) {
        List<String> ids = new ArrayList<>();
        for (Api.Hook hook : hooks) {
            Receivers.received(hook.path()).forEach(r -> ids.add(r.getHeader("webhook-id")));
        }
        return ids;
    }

    private static Set<String> intersection(Set<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        return both;
    }

    private static long ms(long from, long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from);
    }
}

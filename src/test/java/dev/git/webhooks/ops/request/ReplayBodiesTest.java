package dev.git.webhooks.ops.request;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.git.webhooks.api.FieldError;
import dev.git.webhooks.api.body.FieldNames;
import dev.git.webhooks.common.Names;

/**
 * The replay bodies carry their single-field rules as Bean Validation constraints (the resources add
 * {@code @Valid}), named by the JSON field and said with the words the hand checks used.
 */
class ReplayBodiesTest {

    private static ValidatorFactory factory;
    private static Validator validator;

    @BeforeAll
    static void validator() {
        factory = Validation.byDefaultProvider().configure()
                .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory();
        validator = factory.getValidator();
    }

    @AfterAll
    static void close() {
        factory.close();
    }

    @Test
    void aReplayCopiesOnlyFailedOrDeliveredDeliveries() {
        for (String status : List.of("pending", "replayed", "FAILED", "failed ", "lost")) {
            assertThat(status, errors(new ReplayRequest(status, null, null, null, null)),
                    equalTo(List.of(new FieldError("status", ReplayFields.REPLAYABLE_RULE))));
            assertThat(status, errors(new BulkReplayRequest(null, null, status, null, null, null, null)),
                    equalTo(List.of(new FieldError("status", ReplayFields.REPLAYABLE_RULE))));
        }
        for (String status : new String[] { "failed", "delivered", null }) {
            assertThat(errors(new ReplayRequest(status, null, null, null, true)), empty());
            assertThat(errors(new BulkReplayRequest(null, null, status, null, null, null, true)), empty());
        }
    }

    @Test
    void aBulkReplayNamesAnOwnerByItsRule() {
        assertThat(errors(new BulkReplayRequest("not an owner", null, null, null, null, null, null)),
                equalTo(List.of(new FieldError("owner", Names.OWNER_RULE))));
        assertThat(errors(new BulkReplayRequest("acme", null, null, null, null, null, null)), empty());
        assertThat(errors(BulkReplayRequest.DEFAULTS), empty());
        assertThat(errors(new EnableRequest(true)), empty());
    }

    private static List<FieldError> errors(Object body) {
        return FieldNames.errors(validator.validate(body));
    }
}

package dev.git.webhooks.ops.health.words;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

/** Percentages that never round a failure away, nor a success. */
class RatioTest {

    @Test
    void neverSaysAllOrNothingUnlessItIs() {
        assertThat(new Ratio(2500, 2511).percent(), equalTo("99.6 %"));
        assertThat(new Ratio(9999, 10000).percent(), equalTo("99.9 %"));
        assertThat(new Ratio(1, 10000).percent(), equalTo("0.1 %"));
        assertThat(new Ratio(3, 4).percent(), equalTo("75 %"));
        assertThat(new Ratio(7, 7).percent(), equalTo("100 %"));
        assertThat(new Ratio(0, 7).percent(), equalTo("0 %"));
        assertThat(new Ratio(0, 0).percent(), nullValue());
        assertThat(new Ratio(2500, 2511).sentence(), equalTo("99.6 % (2,500 of 2,511)"));
    }
}

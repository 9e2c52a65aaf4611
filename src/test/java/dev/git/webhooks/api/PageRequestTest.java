package dev.git.webhooks.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PageRequestTest {

    @Test
    void defaultsToThirtyRowsFromTheNewest() {
        PageRequest page = PageRequest.parse(null, null);
        assertEquals(30, page.limit());
        assertEquals(Long.MAX_VALUE, page.before());
        assertEquals(31, page.fetchSize());
    }

    @Test
    void aCursorLeadsBackToTheRowItPointsAfter() {
        String cursor = PageRequest.cursorAfter(1234);
        assertEquals(1234, PageRequest.parse("5", cursor).before());
    }

    @Test
    void refusesLimitsOutsideOneToAHundred() {
        assertEquals(100, PageRequest.parse("100", null).limit());
        ApiException e = assertThrows(ApiException.class, () -> PageRequest.parse("101", null));
        assertEquals("validation_failed", e.code());
        assertThrows(ApiException.class, () -> PageRequest.parse("0", null));
    }

    @Test
    void refusesForgedCursors() {
        assertThrows(ApiException.class, () -> PageRequest.parse(null, "djE6MA"));
        assertThrows(ApiException.class, () -> PageRequest.parse(null, "eDox"));
    }
}

package dev.git.webhooks.api;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of a list: {@code {"data":[…],"pagination":{"next_cursor":"…","has_more":true}}}. */
public record Page<T>(List<T> data, Pagination pagination) {

    public record Pagination(
            @Schema(example = "djE6MTIzNDU", nullable = true, description = "Pass as ?cursor= for the next page; null "
                    + "on the last.") String nextCursor,
            @Schema(example = "true") boolean hasMore) {
    }

    /**
     * Builds a page from rows fetched with {@code limit + 1}: the extra row only tells that there is more, and the
     * cursor points after the last row shown.
     */
    public static <E, T> Page<T> of(List<E> rows, PageRequest request, ToLongFunction<E> seq, Function<E, T> view) {
        boolean more = rows.size() > request.limit();
        List<E> shown = more ? rows.subList(0, request.limit()) : rows;
        String next = more ? PageRequest.cursorAfter(seq.applyAsLong(shown.get(shown.size() - 1))) : null;
        return new Page<>(shown.stream().map(view).toList(), new Pagination(next, more));
    }
}

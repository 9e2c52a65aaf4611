package dev.git.webhooks.ops.console.text;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import dev.git.webhooks.ops.health.words.ErrorWords;

/** {@code {inject:words.of(status, errorClass)}}: a failed attempt in its owner's words on console pages. */
@Named("words")
@ApplicationScoped
public class ConsoleWords {

    public String of(Integer status, String errorClass) {
        String words = ErrorWords.of(status, errorClass);
        return words == null ? "—" : words;
    }
}

package dev.git.webhooks.api.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scope an owner's key needs for this route, and the one an operator's key needs ({@code operator}; none: the
 * route is not for operators). The admin key is refused on such routes.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RequiresScope {
    Scope value();

    Scope[] operator() default {};
}

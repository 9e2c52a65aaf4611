/**
 * Dev mode's own code: the embedded PostgreSQL and Kafka broker, the keys it makes up, the quick-start banner and a
 * sample receiver. It lives in {@code src/dev/java}, which {@code ./mvnw quarkus:dev} compiles into the application
 * and every other build compiles as test sources only (the tests start the same embedded broker and database), so
 * the packaged service never holds it ({@code ProductionArtifactIT}). The beans are also guarded by
 * {@code @IfBuildProfile("dev")}, so that the test application leaves them out.
 */
package dev.git.webhooks.local;

package dev.git.webhooks.docs;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The arrows of docs/architecture.md, on the compiled classes: {@code ingest}, {@code ops} and {@code operational}
 * → {@code delivery} → {@code outbox} → {@code subscription}; nothing calls back up, and nothing outside the engine
 * reaches into it but through {@code DeliveryEngine} and what it publishes.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.git.webhooks";
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);

    @Test
    void subscriptionDependsOnNoFeatureAboveIt() {
        noClasses().that().resideInAPackage(ROOT + ".subscription..").should().dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".outbox..", ROOT + ".delivery..", ROOT + ".ingest..", ROOT + ".ops..",
                        ROOT + ".operational..")
                .check(CLASSES);
    }

    @Test
    void theOutboxDependsOnNoFeatureAboveIt() {
        noClasses().that().resideInAPackage(ROOT + ".outbox..").should().dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".delivery..", ROOT + ".ingest..", ROOT + ".ops..",
                        ROOT + ".operational..")
                .check(CLASSES);
    }

    @Test
    void deliveryDependsOnNoFeatureAboveIt() {
        noClasses().that().resideInAPackage(ROOT + ".delivery..").should().dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".ingest..", ROOT + ".ops..", ROOT + ".operational..")
                .check(CLASSES);
    }

    @Test
    void nothingOutsideDeliveryReachesIntoTheEngineButItsShell() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".delivery..").should()
                .dependOnClassesThat(resideInAPackage(ROOT + ".delivery.engine..")
                        .and(not(simpleName("DeliveryEngine"))).and(not(simpleName("View"))))
                .check(CLASSES);
    }
}

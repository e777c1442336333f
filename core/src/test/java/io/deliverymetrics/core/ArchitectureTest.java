package io.deliverymetrics.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code core} is plain Java: no framework, broker or database API may leak into it. */
class ArchitectureTest {

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.deliverymetrics.core");
    }

    @Test
    void shouldImportTheProductionClassesOfCore() {
        // guards against the rule below passing vacuously on an empty import
        assertThat(core.contain("io.deliverymetrics.core.metrics.MetricBucket")).isTrue();
        assertThat(core.contain("io.deliverymetrics.core.parse.AttemptParser")).isTrue();
        assertThat(core.contain("io.deliverymetrics.core.model.AttemptBuilder")).isFalse();
    }

    @Test
    void shouldNotDependOnFrameworksBrokersOrJdbc() {
        ArchRule rule =
                noClasses()
                        .that()
                        .resideInAPackage("io.deliverymetrics.core..")
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(
                                "org.apache.flink..",
                                "org.springframework..",
                                "io.javalin..",
                                "org.apache.kafka..",
                                "java.sql..",
                                "javax.sql..")
                        .because("core is shared by the job, the batch jobs and the API");

        rule.check(core);
    }
}

package io.deliverymetrics.flink.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The structural-schema checker on small schemas, then on the operator's real FlinkDeployment CRD
 * with broken copies of the project's FlinkDeployment.
 */
class StructuralSchemaTest {

    private static final StructuralSchema SCHEMA =
            new StructuralSchema(
                    (Map<?, ?>)
                            DeployFiles.loadAll(
                                            """
                                            type: object
                                            required: [name]
                                            properties:
                                              name: {type: string, description: a name}
                                              replicas: {type: integer}
                                              cpu: {type: number}
                                              enabled: {type: boolean}
                                              mode: {type: string, enum: [native, standalone]}
                                              labels:
                                                type: object
                                                additionalProperties: {type: string}
                                              config:
                                                x-kubernetes-preserve-unknown-fields: true
                                              ports:
                                                type: array
                                                items:
                                                  type: object
                                                  properties:
                                                    port:
                                                      anyOf: [{type: integer}, {type: string}]
                                                      x-kubernetes-int-or-string: true
                                            """)
                                    .get(0));

    @Test
    void shouldAcceptADocumentThatUsesEveryKindOfField() {
        Object doc =
                yaml(
                        """
                        name: a
                        replicas: 2
                        cpu: 0.5
                        enabled: true
                        mode: native
                        labels: {app: x, tier: y}
                        config: {anything: [1, {goes: here}]}
                        ports: [{port: 8080}, {port: http}]
                        """);
        assertThat(SCHEMA.violations(doc)).isEmpty();
    }

    @Test
    void shouldAcceptAnIntegerWhereANumberIsDeclared() {
        assertThat(SCHEMA.violations(yaml("{name: a, cpu: 2}"))).isEmpty();
    }

    @Test
    void shouldRejectAnUnknownFieldWithItsPath() {
        assertThat(SCHEMA.violations(yaml("{name: a, replica: 2}")))
                .containsExactly("$: unknown field \"replica\"");
        assertThat(SCHEMA.violations(yaml("{name: a, ports: [{port: 1, protocol: TCP}]}")))
                .containsExactly("$.ports[0]: unknown field \"protocol\"");
    }

    @Test
    void shouldRejectAValueOfTheWrongType() {
        assertThat(SCHEMA.violations(yaml("{name: a, replicas: \"2\"}")))
                .containsExactly("$.replicas: must be of type integer, was String 2");
        assertThat(SCHEMA.violations(yaml("{name: a, replicas: 1.5}"))).hasSize(1);
        assertThat(SCHEMA.violations(yaml("{name: a, enabled: \"true\"}"))).hasSize(1);
        assertThat(SCHEMA.violations(yaml("{name: a, labels: {app: 1}}")))
                .containsExactly("$.labels.app: must be of type string, was Integer 1");
        assertThat(SCHEMA.violations(yaml("{name: a, ports: {port: 1}}"))).hasSize(1);
        assertThat(SCHEMA.violations(yaml("{name: a, ports: [{port: true}]}")))
                .containsExactly(
                        "$.ports[0].port: must be an integer or a string, was Boolean true");
    }

    @Test
    void shouldRejectAValueOutsideTheEnumAMissingRequiredFieldAndNull() {
        assertThat(SCHEMA.violations(yaml("{name: a, mode: session}")))
                .containsExactly("$.mode: must be one of [native, standalone], was session");
        assertThat(SCHEMA.violations(yaml("{replicas: 1}")))
                .containsExactly("$: missing required field \"name\"");
        assertThat(SCHEMA.violations(yaml("{name: a, replicas: null}")))
                .containsExactly("$.replicas: null is not allowed");
    }

    @Test
    void shouldRefuseASchemaItCannotFullyCheck() {
        StructuralSchema withPattern =
                new StructuralSchema(
                        (Map<?, ?>)
                                yaml(
                                        "{type: object, properties: {a: {type: string, pattern: x}}}"));
        assertThatThrownBy(() -> withPattern.violations(yaml("{a: b}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pattern");
        StructuralSchema oneOf = new StructuralSchema((Map<?, ?>) yaml("{oneOf: []}"));
        assertThatThrownBy(() -> oneOf.violations("x")).hasMessageContaining("oneOf");
    }

    @Test
    void shouldAcceptTheProjectsFlinkDeploymentAgainstTheOperatorsCrd() {
        assertThat(crdSpec().violations(flinkDeploymentSpec())).isEmpty();
    }

    @Test
    void shouldRejectBrokenCopiesOfTheFlinkDeploymentAgainstTheOperatorsCrd() {
        StructuralSchema spec = crdSpec();

        Map<String, Object> typo = flinkDeploymentSpec();
        typo.put("jobManger", typo.get("jobManager"));
        assertThat(spec.violations(typo)).containsExactly("$: unknown field \"jobManger\"");

        Map<String, Object> stringParallelism = flinkDeploymentSpec();
        job(stringParallelism).put("parallelism", "4");
        assertThat(spec.violations(stringParallelism))
                .containsExactly("$.job.parallelism: must be of type integer, was String 4");

        Map<String, Object> badMode = flinkDeploymentSpec();
        job(badMode).put("upgradeMode", "savepoints");
        assertThat(spec.violations(badMode))
                .hasSize(1)
                .first()
                .asString()
                .startsWith("$.job.upgradeMode: must be one of [");

        Map<String, Object> oldFlink = flinkDeploymentSpec();
        oldFlink.put("flinkVersion", "v1_12");
        assertThat(spec.violations(oldFlink)).hasSize(1);

        Map<String, Object> podTypo = flinkDeploymentSpec();
        Map<String, Object> container =
                DeployFiles.map(
                        DeployFiles.list(
                                        DeployFiles.at(
                                                podTypo,
                                                "jobManager",
                                                "podTemplate",
                                                "spec",
                                                "containers"),
                                        "containers")
                                .get(0),
                        "container");
        container.put("imagePullPolicyy", "Always");
        assertThat(spec.violations(podTypo))
                .containsExactly(
                        "$.jobManager.podTemplate.spec.containers[0]: unknown field"
                                + " \"imagePullPolicyy\"");
    }

    private static StructuralSchema crdSpec() {
        return StructuralSchema.ofCrd(DeployFiles.crd(), "v1beta1").property("spec");
    }

    /** A fresh copy of the spec of deploy/kubernetes/flink-deployment.yaml's FlinkDeployment. */
    private static Map<String, Object> flinkDeploymentSpec() {
        List<DeployFiles.Manifest> flink =
                DeployFiles.manifests().stream()
                        .filter(m -> m.kind().equals("FlinkDeployment"))
                        .toList();
        assertThat(flink).hasSize(1);
        return DeployFiles.map(DeployFiles.deepCopy(flink.get(0).doc().get("spec")), "spec");
    }

    private static Map<String, Object> job(Map<String, Object> spec) {
        return DeployFiles.map(spec.get("job"), "job");
    }

    private static Object yaml(String text) {
        return DeployFiles.loadAll(text).get(0);
    }
}

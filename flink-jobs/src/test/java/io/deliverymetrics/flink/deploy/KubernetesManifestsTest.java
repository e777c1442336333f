package io.deliverymetrics.flink.deploy;

import static io.deliverymetrics.flink.deploy.DeployFiles.at;
import static io.deliverymetrics.flink.deploy.DeployFiles.list;
import static io.deliverymetrics.flink.deploy.DeployFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.core.config.ConfigLoader;
import io.deliverymetrics.core.config.Settings;
import io.deliverymetrics.flink.config.JobConfig;
import io.deliverymetrics.flink.deploy.DeployFiles.Manifest;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The manifests of {@code deploy/kubernetes/} against the operator's CRD and against the code:
 * every configuration key, environment variable, jar, main class, command, port and probe path they
 * use must exist in the project, and the components must agree with each other (shards, timing,
 * retention) and with {@code flink-conf/}. No cluster is involved.
 */
class KubernetesManifestsTest {

    /** Kinds (and their API versions) the manifests may contain; no Ingress, CronJob or Job. */
    private static final Map<String, String> KINDS =
            Map.of(
                    "ConfigMap", "v1",
                    "Service", "v1",
                    "PersistentVolumeClaim", "v1",
                    "Deployment", "apps/v1",
                    "PodDisruptionBudget", "policy/v1",
                    "FlinkDeployment", "flink.apache.org/v1beta1");

    private static final List<String> FILES =
            List.of(
                    "flink-deployment.yaml",
                    "api-server.yaml",
                    "compaction.yaml",
                    "datadog-forwarder.yaml");

    /** Flink option classes whose keys flinkConfiguration may use (as FlinkConfFileTest). */
    private static final List<Class<?>> FLINK_OPTION_CLASSES =
            List.of(
                    CoreOptions.class,
                    JobManagerOptions.class,
                    TaskManagerOptions.class,
                    RestOptions.class,
                    CheckpointingOptions.class,
                    StateBackendOptions.class,
                    RestartStrategyOptions.class,
                    PipelineOptions.class,
                    HighAvailabilityOptions.class,
                    MetricOptions.class);

    /** Keys of flink-conf/config.yaml that the operator sets on Kubernetes: not to be repeated. */
    private static final Set<String> SET_BY_OPERATOR =
            Set.of(
                    "jobmanager.bind-host",
                    "jobmanager.rpc.address",
                    "jobmanager.rpc.port",
                    "taskmanager.bind-host",
                    "taskmanager.host",
                    "rest.address",
                    "rest.bind-address",
                    "rest.port",
                    // from spec.jobManager/taskManager.resource.memory
                    "jobmanager.memory.process.size",
                    "taskmanager.memory.process.size");

    /** Keys of flink-conf/config.yaml sized for a laptop, which Kubernetes may size differently. */
    private static final Set<String> SIZED_PER_CLUSTER =
            Set.of("taskmanager.numberOfTaskSlots", "parallelism.default");

    /** The FlinkDeployment's note of the input topic's partition count. */
    private static final String PARTITIONS_ANNOTATION = "deliverymetrics.io/kafka-partitions";

    private static final String FLINK_MAIN_CONTAINER = "flink-main-container";

    /** A Java application of the project running as a Deployment. */
    private record App(
            String deployment, String module, String defaultsFile, Set<String> otherEnv) {}

    private static final App API =
            new App("delivery-metrics-api", "api-server", "delivery-metrics-api.yaml", Set.of());
    private static final App COMPACTION =
            new App(
                    "delivery-metrics-compaction",
                    "batch-compaction",
                    "delivery-metrics-batch.yaml",
                    Set.of());
    private static final App FORWARDER =
            new App(
                    "delivery-metrics-datadog-forwarder",
                    "datadog",
                    "delivery-metrics-datadog.yaml",
                    Set.of("DD_API_KEY", "DD_SITE"));

    /** An application's configuration as its ConfigLoader would see it in the pod. */
    private record Loaded(
            Map<String, Object> podSpec,
            Map<String, Object> container,
            List<String> args,
            Set<String> loadableKeys,
            Settings effective) {}

    @TempDir static Path tmp;

    private static List<Manifest> manifests;
    private static Path root;

    @BeforeAll
    static void load() {
        root = DeployFiles.root();
        manifests = DeployFiles.manifests();
    }

    // ---------------------------------------------------------------- all manifests

    @Test
    void shouldParseEveryManifestIntoUniquelyNamedObjectsOfKnownKinds() throws IOException {
        try (Stream<Path> files = Files.list(DeployFiles.kubernetesDir())) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")))
                    .containsExactlyInAnyOrderElementsOf(FILES);
        }
        List<String> problems = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Manifest m : manifests) {
            String id = m.file().getFileName() + " " + m.kind() + "/" + m.name();
            if (!KINDS.containsKey(m.kind())) {
                problems.add(id + ": kind not expected here");
            } else if (!KINDS.get(m.kind()).equals(m.doc().get("apiVersion"))) {
                problems.add(id + ": apiVersion must be " + KINDS.get(m.kind()));
            }
            if (!m.name().matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
                problems.add(id + ": not a DNS-1123 label");
            }
            if (!seen.add(m.kind() + "/" + m.name())) {
                problems.add(id + ": defined twice");
            }
        }
        assertThat(problems).isEmpty();
        for (String file : FILES) {
            assertThat(manifests).anyMatch(m -> m.file().getFileName().toString().equals(file));
        }
    }

    @Test
    void shouldGiveEveryDeploymentAPodTemplateThatConformsToThePodSchema() {
        // The CRD embeds Kubernetes' whole Pod schema for spec.podTemplate; a Deployment's
        // spec.template (metadata and spec) must conform to it as well.
        StructuralSchema pod =
                StructuralSchema.ofCrd(DeployFiles.crd(), "v1beta1")
                        .property("spec", "podTemplate");
        for (Manifest d : ofKind("Deployment")) {
            assertThat(pod.violations(at(d.doc(), "spec", "template")))
                    .as(d.name() + " spec.template")
                    .isEmpty();
        }
    }

    @Test
    void shouldSelectExactlyOneDeploymentAndExistingPortsFromEveryServiceAndBudget() {
        for (Manifest svc : ofKind("Service")) {
            Map<String, Object> target =
                    selected(map(at(svc.doc(), "spec", "selector"), svc.name() + " selector"));
            Object type = at(svc.doc(), "spec", "type");
            assertThat(type).as(svc.name() + " type").isIn(null, "ClusterIP");
            for (Object p : list(at(svc.doc(), "spec", "ports"), svc.name() + " ports")) {
                Object targetPort = map(p, "port").get("targetPort");
                containerPort(onlyContainer(target), targetPort);
            }
        }
        for (Manifest pdb : ofKind("PodDisruptionBudget")) {
            Map<String, Object> target =
                    selected(
                            map(
                                    at(pdb.doc(), "spec", "selector", "matchLabels"),
                                    pdb.name() + " selector"));
            int replicas = (Integer) at(target, "spec", "replicas");
            int minAvailable = (Integer) at(pdb.doc(), "spec", "minAvailable");
            assertThat(minAvailable)
                    .as(pdb.name() + ": a node drain must be able to evict one pod")
                    .isLessThan(replicas)
                    .isPositive();
        }
    }

    @Test
    void shouldGiveEveryContainerResourcesAndAHeapBelowItsMemoryLimit() {
        for (Manifest d : ofKind("Deployment")) {
            Map<String, Object> c = onlyContainer(d.doc());
            String name = d.name();
            assertThat(at(c, "resources", "requests", "cpu")).as(name + " cpu").isNotNull();
            Object request = at(c, "resources", "requests", "memory");
            Object limit = at(c, "resources", "limits", "memory");
            assertThat(request).as(name + " memory request").isEqualTo(limit);
            long limitBytes = quantityBytes(String.valueOf(limit));
            String xmx =
                    strings(c.get("command")).stream()
                            .filter(a -> a.startsWith("-Xmx"))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError(name + ": no -Xmx"));
            assertThat(javaSizeBytes(xmx.substring(4)))
                    .as(name + " heap vs. memory limit")
                    .isLessThan(limitBytes * 3 / 4);
        }
        Map<String, Object> spec = flinkDeployment();
        for (String process : List.of("jobManager", "taskManager")) {
            assertThat(at(spec, process, "resource", "cpu")).as(process).isNotNull();
            assertThat(at(spec, process, "resource", "memory")).as(process).isNotNull();
        }
    }

    @Test
    void shouldKeepSecretsOutOfConfigMapsAndTakeThemFromTheDocumentedSecrets() {
        List<String> problems = new ArrayList<>();
        for (Manifest cm : ofKind("ConfigMap")) {
            for (Map.Entry<String, Object> e :
                    map(cm.doc().get("data"), cm.name() + " data").entrySet()) {
                Path file = writeConfig(cm.name(), e.getKey(), String.valueOf(e.getValue()));
                ConfigLoader.create().withFile(file).load().asMap().entrySet().stream()
                        .filter(kv -> isSecretKey(kv.getKey()) && !kv.getValue().isEmpty())
                        .forEach(kv -> problems.add(cm.name() + ": " + kv.getKey() + " is set"));
            }
        }
        String readme = DeployFiles.read(DeployFiles.kubernetesDir().resolve("README.md"));
        for (Map<String, Object> c : allContainers()) {
            for (Object e : listOrEmpty(c.get("env"))) {
                Map<String, Object> env = map(e, "env");
                String name = String.valueOf(env.get("name"));
                Object ref = at(env, "valueFrom", "secretKeyRef");
                boolean secret =
                        name.contains("PASSWORD")
                                || name.endsWith("_KEY")
                                || name.endsWith("_TOKEN");
                if (secret && ref == null) {
                    problems.add(name + " must come from a Secret");
                }
                if (ref != null) {
                    String secretName = String.valueOf(at(ref, "name"));
                    String key = String.valueOf(at(ref, "key"));
                    if (!readme.contains(secretName) || !readme.contains(key)) {
                        problems.add(
                                "README.md does not say how to create " + secretName + "/" + key);
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    // ---------------------------------------------------------------- the Flink job

    @Test
    void shouldDeclareAFlinkDeploymentOfTheOperatorsCrdForTheProjectsFlinkVersion()
            throws Exception {
        Map<String, Object> crd = DeployFiles.crd();
        Manifest fd = ofKind("FlinkDeployment").get(0);
        assertThat(ofKind("FlinkDeployment")).hasSize(1);
        assertThat(fd.doc().get("apiVersion")).isEqualTo(at(crd, "spec", "group") + "/v1beta1");
        assertThat(fd.doc().get("kind")).isEqualTo(at(crd, "spec", "names", "kind"));
        assertThat(
                        StructuralSchema.ofCrd(crd, "v1beta1")
                                .property("spec")
                                .violations(flinkDeployment()))
                .isEmpty();

        String flinkVersion = property(pom(""), "flink.version");
        String[] parts = flinkVersion.split("\\.");
        assertThat(flinkDeployment().get("flinkVersion"))
                .as("flinkVersion for Flink " + flinkVersion + " (root pom.xml)")
                .isEqualTo("v" + parts[0] + "_" + parts[1]);
        assertThat(flinkDeployment().get("mode")).isEqualTo("native");
        assertThat(flinkDeployment())
                .as(
                        "spec.podTemplate is merged into both templates array element by array"
                                + " element; keep each process's template complete instead")
                .doesNotContainKey("podTemplate");
    }

    @Test
    void shouldSetOnlyCurrentFlinkAndDocumentedOperatorOptionsAsStrings() throws Exception {
        Map<String, ConfigOption<?>> current = new HashMap<>();
        Set<String> deprecated = new LinkedHashSet<>();
        for (Class<?> holder : FLINK_OPTION_CLASSES) {
            for (Field f : holder.getFields()) {
                if (Modifier.isStatic(f.getModifiers())
                        && ConfigOption.class.isAssignableFrom(f.getType())) {
                    ConfigOption<?> option = (ConfigOption<?>) f.get(null);
                    current.put(option.key(), option);
                    for (FallbackKey k : option.fallbackKeys()) {
                        deprecated.add(k.getKey());
                    }
                }
            }
        }
        Set<String> operator = DeployFiles.operatorOptionKeys();
        List<String> problems = new ArrayList<>();
        flinkConfiguration(true)
                .forEach(
                        (key, value) -> {
                            boolean known =
                                    current.containsKey(key)
                                            || operator.contains(key)
                                            || key.matches("metrics\\.reporter\\.[a-z]+\\..+");
                            if (!known || (deprecated.contains(key) && !current.containsKey(key))) {
                                problems.add(key + " is not a current Flink or operator option");
                            }
                        });
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldAgreeWithFlinkConfExceptWhereKubernetesDiffers() {
        Map<String, String> flinkConf = flinkConf().toMap();
        Map<String, String> deployed = flinkConfiguration(false);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(flinkConf).entrySet()) {
            String key = e.getKey();
            String value = deployed.get(key);
            if (SET_BY_OPERATOR.contains(key)) {
                if (value != null) {
                    problems.add(key + " is set by the operator on Kubernetes");
                }
            } else if (key.equals(CheckpointingOptions.CHECKPOINTS_DIRECTORY.key())
                    || key.equals(CheckpointingOptions.SAVEPOINT_DIRECTORY.key())) {
                if (value == null || !value.startsWith("s3://")) {
                    problems.add(key + " must be on S3, was " + value);
                }
            } else if (!SIZED_PER_CLUSTER.contains(key) && !e.getValue().equals(value)) {
                problems.add(
                        key + ": flink-conf has " + e.getValue() + ", the deployment " + value);
            }
        }
        assertThat(problems).isEmpty();
        assertThat(deployed).doesNotContainKey(CoreOptions.DEFAULT_PARALLELISM.key());
        assertThat(deployed)
                .containsEntry(StateBackendOptions.STATE_BACKEND.key(), "rocksdb")
                .containsEntry(CheckpointingOptions.INCREMENTAL_CHECKPOINTS.key(), "true")
                .containsEntry(HighAvailabilityOptions.HA_MODE.key(), "kubernetes");
        assertThat(deployed.get(HighAvailabilityOptions.HA_STORAGE_PATH.key())).startsWith("s3://");
    }

    @Test
    void shouldRunTheShadedJobJarsMainWithTheConfigMapsJobConfiguration() throws Exception {
        Map<String, Object> job = map(flinkDeployment().get("job"), "job");
        assertThat(job.get("jarURI"))
                .isEqualTo("local:///opt/flink/usrlib/" + jarName("flink-jobs"));
        String entryClass = String.valueOf(job.get("entryClass"));
        assertThat(entryClass).isEqualTo(mainClass("flink-jobs"));
        Method main = Class.forName(entryClass).getMethod("main", String[].class);
        assertThat(Modifier.isStatic(main.getModifiers())).as("static main").isTrue();
        assertThat(job.get("upgradeMode")).isEqualTo("savepoint");
        assertThat(job.get("state")).isEqualTo("running");

        // The job's main runs on the JobManager: its config file and secrets must be there.
        Map<String, Object> podSpec =
                map(at(flinkDeployment(), "jobManager", "podTemplate", "spec"), "JM pod spec");
        Map<String, Object> container = namedContainer(podSpec, FLINK_MAIN_CONTAINER);
        List<String> args = strings(job.get("args"));
        Path file = configMapFile(podSpec, container, configArg(args));
        Map<String, String> env = envValues(container);
        Set<String> loadable =
                loadableKeys(defaultsOf("flink-jobs", "delivery-metrics-job.yaml"), file);
        assertThat(unknownEnv(container, loadable, Set.of())).isEmpty();
        assertThat(unknownKeys("flink-jobs", "delivery-metrics-job.yaml", file)).isEmpty();

        // Loads and validates exactly as main does.
        JobConfig config = JobConfig.load(env, withConfig(args, file));
        Map<String, String> deployed = flinkConfiguration(false);
        assertThat(config.checkpointInterval())
                .isEqualTo(
                        TimeUtils.parseDuration(deployed.get("execution.checkpointing.interval")));
        assertThat(config.restartAttempts())
                .isEqualTo(Integer.parseInt(deployed.get("restart-strategy.fixed-delay.attempts")));
        assertThat(config.restartDelay())
                .isEqualTo(
                        TimeUtils.parseDuration(
                                deployed.get("restart-strategy.fixed-delay.delay")));
        assertThat(config.checkpointDir())
                .as("checkpoint.dir overrides the cluster's directory; leave it empty or equal")
                .isIn("", deployed.get("execution.checkpointing.dir"));
        for (int i = 0; i < config.shards().size(); i++) {
            assertThat(env).containsKey(ConfigLoader.envName("shards." + i + ".password"));
        }
    }

    @Test
    void shouldBoundTheAutoscalerByKafkaPartitionsAndTheJobsMaxParallelism() throws IOException {
        Map<String, String> c = flinkConfiguration(false);
        assertThat(c)
                .containsEntry("job.autoscaler.enabled", "true")
                .containsKeys(
                        "job.autoscaler.utilization.target",
                        "job.autoscaler.utilization.min",
                        "job.autoscaler.utilization.max",
                        "job.autoscaler.vertex.min-parallelism",
                        "job.autoscaler.vertex.max-parallelism",
                        PipelineOptions.MAX_PARALLELISM.key());
        double target = Double.parseDouble(c.get("job.autoscaler.utilization.target"));
        double min = Double.parseDouble(c.get("job.autoscaler.utilization.min"));
        double max = Double.parseDouble(c.get("job.autoscaler.utilization.max"));
        assertThat(min).isPositive().isLessThan(target);
        assertThat(target).isLessThan(max);
        assertThat(max).isLessThan(1.0);
        for (String window :
                List.of(
                        "job.autoscaler.metrics.window",
                        "job.autoscaler.stabilization.interval",
                        "job.autoscaler.restart.time",
                        "job.autoscaler.catch-up.duration")) {
            assertThat(TimeUtils.parseDuration(c.get(window))).as(window).isPositive();
        }

        int maxParallelism = Integer.parseInt(c.get(PipelineOptions.MAX_PARALLELISM.key()));
        int vertexMax = Integer.parseInt(c.get("job.autoscaler.vertex.max-parallelism"));
        int vertexMin = Integer.parseInt(c.get("job.autoscaler.vertex.min-parallelism"));
        int parallelism = (Integer) at(flinkDeployment(), "job", "parallelism");
        int partitions =
                Integer.parseInt(
                        String.valueOf(
                                at(
                                        flinkDeploymentManifest(),
                                        "metadata",
                                        "annotations",
                                        PARTITIONS_ANNOTATION)));
        assertThat(vertexMin).isPositive().isLessThanOrEqualTo(parallelism);
        assertThat(parallelism).isLessThanOrEqualTo(vertexMax);
        assertThat(vertexMax)
                .as("autoscaler maximum vs. the topic's partitions")
                .isLessThanOrEqualTo(partitions);
        assertThat(vertexMax)
                .as("autoscaler maximum vs. " + PipelineOptions.MAX_PARALLELISM.key())
                .isLessThanOrEqualTo(maxParallelism);

        // Savepoints of a job started from flink-conf/ keep its key groups: the maximum it set or,
        // without one, what Flink derived from its parallelism.
        Configuration flinkConf = flinkConf();
        int flinkConfMax =
                flinkConf
                        .getOptional(PipelineOptions.MAX_PARALLELISM)
                        .orElse(
                                KeyGroupRangeAssignment.computeDefaultMaxParallelism(
                                        flinkConf.get(CoreOptions.DEFAULT_PARALLELISM)));
        assertThat(maxParallelism).as("the key groups of flink-conf's job").isEqualTo(flinkConfMax);

        // A maximum set by the job itself (a config key or a literal in its code) wins over the
        // cluster's, so it must be the same number.
        jobSettings()
                .asMap()
                .forEach(
                        (k, v) -> {
                            if (k.endsWith("max-parallelism")) {
                                assertThat(Integer.parseInt(v))
                                        .as("job key " + k)
                                        .isEqualTo(maxParallelism);
                            }
                        });
        Pattern literal = Pattern.compile("setMaxParallelism\\(\\s*(\\d+)\\s*\\)");
        try (Stream<Path> sources = Files.walk(root.resolve("flink-jobs/src/main/java"))) {
            for (Path src : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = literal.matcher(DeployFiles.read(src));
                while (m.find()) {
                    assertThat(Integer.parseInt(m.group(1)))
                            .as(src.getFileName() + " setMaxParallelism")
                            .isEqualTo(maxParallelism);
                }
            }
        }
    }

    // ---------------------------------------------------------------- the Java applications

    @Test
    void shouldRunTheApiServerWithRealKeysOnItsListenersWithProbesOnThePublicOne() {
        Loaded api = load(API);
        assertThat((Integer) at(deployment(API.deployment()), "spec", "replicas"))
                .isGreaterThanOrEqualTo(2);
        assertThat(api.args()).containsExactly("--config", configArg(api.args()));

        int serverPort = api.effective().integer("server.port");
        int adminPort = api.effective().integer("admin.port");
        assertThat(api.effective().bool("admin.enabled", false)).isTrue();
        assertThat(api.effective().string("admin.host"))
                .as("admin.host: probes and the admin Service reach the pod's address")
                .isEqualTo("0.0.0.0");
        assertThat(containerPort(api.container(), "http")).isEqualTo(serverPort);
        assertThat(containerPort(api.container(), "admin")).isEqualTo(adminPort);

        String routes = source("api-server", "io/deliverymetrics/api/http/HealthRoutes.java");
        assertThat(routes).contains("\"/healthz\"", "\"/readyz\"");
        assertHttpProbe(api.container(), "readinessProbe", "/readyz", serverPort);
        assertHttpProbe(api.container(), "livenessProbe", "/healthz", serverPort);
        assertHttpProbe(api.container(), "startupProbe", "/healthz", serverPort);

        Manifest publicService = service(serverPort);
        Manifest adminService = service(adminPort);
        assertThat(publicService.name()).isEqualTo("delivery-metrics-api");
        assertThat(adminService.name()).isNotEqualTo(publicService.name());
        assertThat(ofKind("PodDisruptionBudget"))
                .anyMatch(
                        p ->
                                selected(map(at(p.doc(), "spec", "selector", "matchLabels"), "s"))
                                        == deployment(API.deployment()));
    }

    @Test
    void shouldRunCompactionAsTheOneQuartzSchedulerWithRealKeysAndProbes() {
        Loaded batch = load(COMPACTION);
        assertThat((Integer) at(deployment(COMPACTION.deployment()), "spec", "replicas"))
                .isEqualTo(1);
        assertThat(batch.args()).containsExactly("serve", "--config", configArg(batch.args()));
        assertThat(source("batch-compaction", "io/deliverymetrics/batch/cli/BatchCli.java"))
                .contains("name = \"serve\"");
        assertThat(batch.effective().bool("schedule.enabled", false)).isTrue();

        int port = batch.effective().integer("management.port");
        assertThat(containerPort(batch.container(), "management")).isEqualTo(port);
        assertThat(
                        source(
                                "batch-compaction",
                                "io/deliverymetrics/batch/management/ManagementConfiguration.java"))
                .containsPattern("ENDPOINTS = \"[^\"]*health");
        assertHttpProbe(batch.container(), "readinessProbe", "/actuator/health", port);
        for (String probe : List.of("livenessProbe", "startupProbe")) {
            assertThat(
                            containerPort(
                                    batch.container(),
                                    at(batch.container(), probe, "tcpSocket", "port")))
                    .as(probe)
                    .isEqualTo(port);
        }
        // Quartz is the only scheduler: no CronJob or Job runs compact or retain besides it.
        assertThat(manifests)
                .noneMatch(m -> m.kind().endsWith("Job") && !m.kind().startsWith("Flink"));
    }

    @Test
    void shouldRunOneForwarderWithRealKeysItsStateOnAVolumeAndTheApiServiceAsSource() {
        Loaded fwd = load(FORWARDER);
        Map<String, Object> deployment = deployment(FORWARDER.deployment());
        assertThat((Integer) at(deployment, "spec", "replicas")).isEqualTo(1);
        assertThat(at(deployment, "spec", "strategy", "type")).isEqualTo("Recreate");
        assertThat(fwd.args()).containsExactly("--config", configArg(fwd.args()));

        int port = fwd.effective().integer("metrics.port");
        assertThat(fwd.effective().bool("metrics.enabled", false)).isTrue();
        assertThat(fwd.effective().string("metrics.host")).isEqualTo("0.0.0.0");
        assertThat(containerPort(fwd.container(), "metrics")).isEqualTo(port);
        assertThat(source("datadog", "io/deliverymetrics/datadog/metrics/MetricsEndpoint.java"))
                .contains("PATH = \"/metrics\"");
        assertHttpProbe(fwd.container(), "readinessProbe", "/metrics", port);
        assertHttpProbe(fwd.container(), "livenessProbe", "/metrics", port);

        // The state file lies on the PersistentVolumeClaim.
        String stateFile = fwd.effective().string("state.file");
        Map<String, Object> mount = mountOf(fwd.container(), stateFile);
        Map<String, Object> volume = volume(fwd.podSpec(), String.valueOf(mount.get("name")));
        Object claim = at(volume, "persistentVolumeClaim", "claimName");
        assertThat(ofKind("PersistentVolumeClaim")).anyMatch(m -> m.name().equals(claim));

        // It reads the API through the API server's Service.
        Loaded api = load(API);
        int apiPort = api.effective().integer("server.port");
        URI base = URI.create(fwd.effective().string("api.base-url"));
        assertThat(base.getHost()).isEqualTo(service(apiPort).name());
        Object servicePort =
                list(at(service(apiPort).doc(), "spec", "ports"), "ports").stream()
                        .map(p -> map(p, "port"))
                        .filter(p -> containerPort(api.container(), p.get("targetPort")) == apiPort)
                        .findFirst()
                        .orElseThrow()
                        .get("port");
        assertThat(base.getPort()).isEqualTo(servicePort);

        // Every workspace's token-env names a variable of the container that comes from a Secret.
        Map<String, Map<String, Object>> env = envByName(fwd.container());
        assertThat(at(env.get("DD_API_KEY"), "valueFrom", "secretKeyRef")).isNotNull();
        for (Map.Entry<String, String> e : fwd.effective().asMap().entrySet()) {
            if (e.getKey().matches("workspaces\\.\\d+\\.token-env")) {
                assertThat(env).containsKey(e.getValue());
                assertThat(at(env.get(e.getValue()), "valueFrom", "secretKeyRef")).isNotNull();
            }
        }
    }

    @Test
    void shouldUseOnlyConfigurationKeysAndEnvironmentVariablesTheApplicationsRead() {
        for (App app : List.of(API, COMPACTION, FORWARDER)) {
            Loaded l = load(app);
            Path file = configMapFile(l.podSpec(), l.container(), configArg(l.args()));
            assertThat(unknownKeys(app.module(), app.defaultsFile(), file))
                    .as(app.deployment() + " config keys")
                    .isEmpty();
            Set<String> other = new LinkedHashSet<>(app.otherEnv());
            l.effective()
                    .asMap()
                    .forEach(
                            (k, v) -> {
                                if (k.matches("workspaces\\.\\d+\\.token-env")) {
                                    other.add(v);
                                }
                            });
            assertThat(unknownEnv(l.container(), l.loadableKeys(), other))
                    .as(app.deployment() + " environment")
                    .isEmpty();
            assertThat(strings(l.container().get("command")))
                    .as(app.deployment() + " command")
                    .startsWith("java")
                    .containsSubsequence("-jar", "/app/" + jarName(app.module()));
        }
    }

    @Test
    void shouldShareShardsPipelineRetentionAndTimingAcrossJobApiAndCompaction() throws Exception {
        Settings job = jobSettings();
        Settings api = load(API).effective();
        Settings batch = load(COMPACTION).effective();
        Map<String, String> jobShards = shardTopology(job);
        assertThat(jobShards).isNotEmpty();
        assertThat(shardTopology(api)).as("api-server shards").isEqualTo(jobShards);
        assertThat(shardTopology(batch)).as("compaction shards").isEqualTo(jobShards);
        for (String key : List.of("pipeline-name")) {
            assertThat(api.string(key)).as(key).isEqualTo(job.string(key));
            assertThat(batch.string(key)).as(key).isEqualTo(job.string(key));
        }
        for (String key :
                List.of(
                        "watermark.out-of-orderness",
                        "window.allowed-lateness",
                        "sink.flush-interval")) {
            assertThat(batch.duration(key)).as(key).isEqualTo(job.duration(key));
        }
        for (String tier : List.of("minute", "hour", "day")) {
            assertThat(api.duration("retention." + tier))
                    .as("retention." + tier)
                    .isEqualTo(batch.duration("retention." + tier));
        }
        assertThat(api.string("control.jdbc-url")).isEqualTo(batch.string("control.jdbc-url"));
    }

    @Test
    void shouldDescribeEveryManifestAndTheAutoscalerBoundsInTheReadmes() {
        String readme = DeployFiles.read(DeployFiles.kubernetesDir().resolve("README.md"));
        assertThat(readme)
                .contains(FILES)
                .contains(
                        PipelineOptions.MAX_PARALLELISM.key(),
                        "job.autoscaler.vertex.max-parallelism",
                        PARTITIONS_ANNOTATION);
        assertThat(DeployFiles.read(root.resolve("README.md"))).contains("deploy/kubernetes/");
        assertThat(DeployFiles.read(root.resolve("docs/operations.md")))
                .contains("deploy/kubernetes/");
    }

    // ---------------------------------------------------------------- helpers: manifests

    private static List<Manifest> ofKind(String kind) {
        return manifests.stream().filter(m -> m.kind().equals(kind)).toList();
    }

    private static Manifest named(String kind, String name) {
        return ofKind(kind).stream()
                .filter(m -> m.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static Map<String, Object> deployment(String name) {
        return named("Deployment", name).doc();
    }

    private static Map<String, Object> flinkDeploymentManifest() {
        return ofKind("FlinkDeployment").get(0).doc();
    }

    private static Map<String, Object> flinkDeployment() {
        return map(flinkDeploymentManifest().get("spec"), "FlinkDeployment spec");
    }

    /** spec.flinkConfiguration, flattened; every value must be a string (quoted in YAML). */
    private static Map<String, String> flinkConfiguration(boolean requireStrings) {
        Map<String, String> out = new LinkedHashMap<>();
        map(flinkDeployment().get("flinkConfiguration"), "flinkConfiguration")
                .forEach(
                        (k, v) -> {
                            if (requireStrings) {
                                assertThat(v)
                                        .as(k + " (quote the value)")
                                        .isInstanceOf(String.class);
                            }
                            out.put(k, String.valueOf(v));
                        });
        return out;
    }

    private static Configuration flinkConf() {
        return GlobalConfiguration.loadConfiguration(root.resolve("flink-conf").toString());
    }

    /** The one Deployment whose pod labels contain all of {@code selector}. */
    private static Map<String, Object> selected(Map<String, Object> selector) {
        List<Map<String, Object>> hits =
                ofKind("Deployment").stream()
                        .map(Manifest::doc)
                        .filter(
                                d -> {
                                    Object labels = at(d, "spec", "template", "metadata", "labels");
                                    return labels instanceof Map<?, ?> l
                                            && l.entrySet().containsAll(selector.entrySet());
                                })
                        .toList();
        assertThat(hits).as("Deployments selected by " + selector).hasSize(1);
        Map<String, Object> d = hits.get(0);
        assertThat(map(at(d, "spec", "selector", "matchLabels"), "matchLabels"))
                .as("the Deployment's own selector")
                .isEqualTo(selector);
        return d;
    }

    /** The Service with a port whose target is the container port {@code port}. */
    private static Manifest service(int port) {
        List<Manifest> hits = new ArrayList<>();
        for (Manifest svc : ofKind("Service")) {
            Map<String, Object> target =
                    selected(map(at(svc.doc(), "spec", "selector"), svc.name() + " selector"));
            for (Object p : list(at(svc.doc(), "spec", "ports"), "ports")) {
                if (containerPort(onlyContainer(target), map(p, "port").get("targetPort"))
                        == port) {
                    hits.add(svc);
                }
            }
        }
        assertThat(hits).as("Services of port " + port).hasSize(1);
        return hits.get(0);
    }

    private static Map<String, Object> onlyContainer(Map<String, Object> deployment) {
        List<Object> containers =
                list(at(deployment, "spec", "template", "spec", "containers"), "containers");
        assertThat(containers).hasSize(1);
        return map(containers.get(0), "container");
    }

    private static Map<String, Object> namedContainer(Map<String, Object> podSpec, String name) {
        return list(podSpec.get("containers"), "containers").stream()
                .map(c -> map(c, "container"))
                .filter(c -> name.equals(c.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    private static List<Map<String, Object>> allContainers() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Manifest d : ofKind("Deployment")) {
            out.add(onlyContainer(d.doc()));
        }
        for (String process : List.of("jobManager", "taskManager")) {
            out.add(
                    namedContainer(
                            map(at(flinkDeployment(), process, "podTemplate", "spec"), process),
                            FLINK_MAIN_CONTAINER));
        }
        return out;
    }

    /** The number of a container port given by number or by name. */
    private static int containerPort(Map<String, Object> container, Object ref) {
        for (Object p : list(container.get("ports"), container.get("name") + " ports")) {
            Map<String, Object> port = map(p, "port");
            if (ref.equals(port.get("name")) || ref.equals(port.get("containerPort"))) {
                return (Integer) port.get("containerPort");
            }
        }
        throw new AssertionError(container.get("name") + " declares no port " + ref);
    }

    private static void assertHttpProbe(
            Map<String, Object> container, String probe, String path, int port) {
        Object get = at(container, probe, "httpGet");
        assertThat(get).as(probe).isNotNull();
        assertThat(at(get, "path")).as(probe + " path").isEqualTo(path);
        assertThat(containerPort(container, at(get, "port"))).as(probe + " port").isEqualTo(port);
    }

    private static Map<String, Object> mountOf(Map<String, Object> container, String path) {
        return list(container.get("volumeMounts"), "volumeMounts").stream()
                .map(m -> map(m, "volumeMount"))
                .filter(m -> path.startsWith(m.get("mountPath") + "/"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume mounted for " + path));
    }

    private static Map<String, Object> volume(Map<String, Object> podSpec, String name) {
        return list(podSpec.get("volumes"), "volumes").stream()
                .map(v -> map(v, "volume"))
                .filter(v -> name.equals(v.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    /**
     * The file behind a path in the container: the ConfigMap entry mounted there, written to a
     * temporary file of the same name (its extension tells ConfigLoader it is YAML).
     */
    private static Path configMapFile(
            Map<String, Object> podSpec, Map<String, Object> container, String path) {
        Map<String, Object> mount = mountOf(container, path);
        String key = path.substring(String.valueOf(mount.get("mountPath")).length() + 1);
        Object cmName = at(volume(podSpec, String.valueOf(mount.get("name"))), "configMap", "name");
        assertThat(cmName).as("a ConfigMap mounted for " + path).isNotNull();
        Object data = at(named("ConfigMap", String.valueOf(cmName)).doc(), "data", key);
        assertThat(data).as("ConfigMap " + cmName + " key " + key).isNotNull();
        return writeConfig(String.valueOf(cmName), key, String.valueOf(data));
    }

    private static Path writeConfig(String configMap, String key, String text) {
        try {
            Path dir = Files.createDirectories(tmp.resolve(configMap));
            return Files.writeString(dir.resolve(key), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String configArg(List<String> args) {
        int i = args.indexOf("--config");
        assertThat(i).as("--config in " + args).isNotNegative().isLessThan(args.size() - 1);
        return args.get(i + 1);
    }

    private static String[] withConfig(List<String> args, Path file) {
        List<String> out = new ArrayList<>(args);
        out.set(out.indexOf("--config") + 1, file.toString());
        return out.toArray(String[]::new);
    }

    /** The container's environment as the process sees it (Secret values stand in). */
    private static Map<String, String> envValues(Map<String, Object> container) {
        Map<String, String> out = new LinkedHashMap<>();
        envByName(container)
                .forEach(
                        (name, e) ->
                                out.put(
                                        name,
                                        e.containsKey("value")
                                                ? String.valueOf(e.get("value"))
                                                : "from-secret-" + name));
        return out;
    }

    private static Map<String, Map<String, Object>> envByName(Map<String, Object> container) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Object e : listOrEmpty(container.get("env"))) {
            Map<String, Object> env = map(e, "env");
            out.put(String.valueOf(env.get("name")), env);
        }
        return out;
    }

    private static List<Object> listOrEmpty(Object value) {
        return value == null ? List.of() : list(value, "list");
    }

    private static List<String> strings(Object value) {
        return list(value, "strings").stream().map(String::valueOf).toList();
    }

    // ---------------------------------------------------------------- helpers: configuration

    /** An application's container, command line and configuration as loaded in the pod. */
    private static Loaded load(App app) {
        Map<String, Object> deployment = deployment(app.deployment());
        Map<String, Object> podSpec = map(at(deployment, "spec", "template", "spec"), "pod spec");
        Map<String, Object> container = onlyContainer(deployment);
        List<String> command = strings(container.get("command"));
        int jar = command.indexOf("-jar");
        assertThat(jar).as(app.deployment() + " runs java -jar").isPositive();
        List<String> args = command.subList(jar + 2, command.size());
        Path file = configMapFile(podSpec, container, configArg(args));
        Map<String, String> defaults = defaultsOf(app.module(), app.defaultsFile());
        Settings effective =
                ConfigLoader.create()
                        .withDefaults(defaults)
                        .withFile(file)
                        .withEnvironment(envValues(container))
                        .load();
        return new Loaded(podSpec, container, args, loadableKeys(defaults, file), effective);
    }

    /** The job's settings as its main loads them in the JobManager pod. */
    private static Settings jobSettings() {
        Map<String, Object> podSpec =
                map(at(flinkDeployment(), "jobManager", "podTemplate", "spec"), "JM pod spec");
        Map<String, Object> container = namedContainer(podSpec, FLINK_MAIN_CONTAINER);
        Path file =
                configMapFile(
                        podSpec,
                        container,
                        configArg(strings(at(flinkDeployment(), "job", "args"))));
        return ConfigLoader.create()
                .withDefaults(defaultsOf("flink-jobs", "delivery-metrics-job.yaml"))
                .withFile(file)
                .withEnvironment(envValues(container))
                .load();
    }

    private static Map<String, String> defaultsOf(String module, String file) {
        return ConfigLoader.create()
                .withFile(root.resolve(module).resolve("src/main/resources").resolve(file))
                .load()
                .asMap();
    }

    /** The keys ConfigLoader looks up in the environment: those of the defaults and the file. */
    private static Set<String> loadableKeys(Map<String, String> defaults, Path file) {
        Set<String> keys = new LinkedHashSet<>(defaults.keySet());
        keys.addAll(ConfigLoader.create().withFile(file).load().asMap().keySet());
        return keys;
    }

    /**
     * Keys of the file that the application does not know: neither in its bundled defaults nor in
     * its README's configuration table (list indices compared as N).
     */
    private static List<String> unknownKeys(String module, String defaultsFile, Path file) {
        Set<String> known =
                defaultsOf(module, defaultsFile).keySet().stream()
                        .map(KubernetesManifestsTest::normalized)
                        .collect(Collectors.toCollection(LinkedHashSet::new));
        known.addAll(readmeKeys(module));
        List<Pattern> patterns =
                known.stream()
                        .filter(k -> k.contains("<"))
                        .map(
                                k ->
                                        Pattern.compile(
                                                Pattern.quote(k)
                                                        .replaceAll("<[^>]+>", "\\\\E[^.]+\\\\Q")))
                        .toList();
        List<String> unknown = new ArrayList<>();
        for (String key : ConfigLoader.create().withFile(file).load().asMap().keySet()) {
            String n = normalized(key);
            if (!known.contains(n) && patterns.stream().noneMatch(p -> p.matcher(n).matches())) {
                unknown.add(key);
            }
        }
        return unknown;
    }

    /** Environment variables no part of the application reads. */
    private static List<String> unknownEnv(
            Map<String, Object> container, Set<String> loadableKeys, Set<String> otherEnv) {
        Set<String> read =
                loadableKeys.stream().map(ConfigLoader::envName).collect(Collectors.toSet());
        List<String> unknown = new ArrayList<>();
        for (String name : envByName(container).keySet()) {
            boolean ok = name.startsWith("DM_") ? read.contains(name) : otherEnv.contains(name);
            if (!ok) {
                unknown.add(name);
            }
        }
        return unknown;
    }

    /** Backticked keys of the first column of the module README's "Configuration" tables. */
    private static Set<String> readmeKeys(String module) {
        Set<String> keys = new LinkedHashSet<>();
        boolean inSection = false;
        for (String line :
                DeployFiles.read(root.resolve(module).resolve("README.md")).split("\n")) {
            if (line.startsWith("## ")) {
                inSection = line.startsWith("## Configuration");
            } else if (inSection && line.startsWith("| `")) {
                Matcher m = Pattern.compile("`([^`]+)`").matcher(line.split("\\|")[1]);
                while (m.find()) {
                    if (!m.group(1).startsWith(".")) {
                        keys.add(m.group(1));
                    }
                }
            }
        }
        return keys;
    }

    private static String normalized(String key) {
        return key.replaceAll("\\.\\d+(?=\\.|$)", ".N");
    }

    private static boolean isSecretKey(String key) {
        return key.endsWith("password") || key.endsWith("api-key") || key.endsWith(".token");
    }

    /** Shard id to JDBC URL and user, plus the overrides: what must be equal in all three. */
    private static Map<String, String> shardTopology(Settings s) {
        Map<String, String> out = new TreeMap<>();
        s.asMap()
                .forEach(
                        (k, v) -> {
                            if (k.matches("shards\\.\\d+\\.(jdbc-url|user)")
                                    || k.startsWith("shard-overrides.")) {
                                out.put(k, v);
                            }
                        });
        return out;
    }

    // ---------------------------------------------------------------- helpers: the build

    private static Path pomPath(String module) {
        return module.isEmpty() ? root.resolve("pom.xml") : root.resolve(module).resolve("pom.xml");
    }

    private static Element pom(String module) throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(pomPath(module).toFile())
                .getDocumentElement();
    }

    private static String property(Element project, String name) {
        return text(child(project, "properties"), name);
    }

    private static Element child(Element parent, String name) {
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        throw new AssertionError(parent.getTagName() + " has no " + name);
    }

    private static String text(Element parent, String name) {
        return child(parent, name).getTextContent().strip();
    }

    /** The runnable jar a module's build produces (shade outputFile or classifier, or Boot's). */
    private static String jarName(String module) {
        try {
            Element project = pom(module);
            String artifactId = text(project, "artifactId");
            String version = text(child(project, "parent"), "version");
            Element shade = plugin(project, "maven-shade-plugin");
            if (shade != null && shade.getElementsByTagName("outputFile").getLength() > 0) {
                String path = shade.getElementsByTagName("outputFile").item(0).getTextContent();
                return path.strip().substring(path.strip().lastIndexOf('/') + 1);
            }
            if (shade != null
                    && shade.getElementsByTagName("shadedClassifierName").getLength() > 0) {
                String classifier =
                        shade.getElementsByTagName("shadedClassifierName").item(0).getTextContent();
                return artifactId + "-" + version + "-" + classifier.strip() + ".jar";
            }
            // Spring Boot's repackage goal replaces the module's own jar.
            assertThat(DeployFiles.read(pomPath(module)))
                    .contains("spring-boot-maven-plugin", "<goal>repackage</goal>");
            return artifactId + "-" + version + ".jar";
        } catch (Exception e) {
            throw new AssertionError("cannot read " + module + "/pom.xml", e);
        }
    }

    /** The build plugin with this artifactId, or null. */
    private static Element plugin(Element project, String artifactId) {
        NodeList plugins = project.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element p = (Element) plugins.item(i);
            if (text(p, "artifactId").equals(artifactId)) {
                return p;
            }
        }
        return null;
    }

    private static String mainClass(String module) throws Exception {
        NodeList main = pom(module).getElementsByTagName("mainClass");
        assertThat(main.getLength()).as(module + " mainClass").isEqualTo(1);
        return main.item(0).getTextContent().strip();
    }

    private static String source(String module, String path) {
        return DeployFiles.read(root.resolve(module).resolve("src/main/java").resolve(path));
    }

    // ---------------------------------------------------------------- helpers: sizes

    /** A Kubernetes memory quantity in bytes (binary and decimal suffixes). */
    static long quantityBytes(String q) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi|Ti|k|M|G|T)?").matcher(q);
        assertThat(m.matches()).as("quantity " + q).isTrue();
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        return switch (unit) {
            case "Ki" -> n << 10;
            case "Mi" -> n << 20;
            case "Gi" -> n << 30;
            case "Ti" -> n << 40;
            case "k" -> n * 1_000L;
            case "M" -> n * 1_000_000L;
            case "G" -> n * 1_000_000_000L;
            case "T" -> n * 1_000_000_000_000L;
            default -> n;
        };
    }

    /** A JVM size such as 2g or 512m in bytes. */
    static long javaSizeBytes(String size) {
        Matcher m = Pattern.compile("(\\d+)([kKmMgG])?").matcher(size);
        assertThat(m.matches()).as("JVM size " + size).isTrue();
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase();
        return switch (unit) {
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            default -> n;
        };
    }

    @Test
    void shouldReadQuantitiesAndJvmSizes() {
        assertThat(quantityBytes("3Gi")).isEqualTo(3L << 30);
        assertThat(quantityBytes("1536Mi")).isEqualTo(1536L << 20);
        assertThat(quantityBytes("2G")).isEqualTo(2_000_000_000L);
        assertThat(javaSizeBytes("512m")).isEqualTo(512L << 20);
        assertThat(javaSizeBytes("2g")).isEqualTo(2L << 30);
        assertThat(Duration.ofMinutes(5)).isEqualTo(TimeUtils.parseDuration("5min"));
    }
}

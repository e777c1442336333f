package io.deliverymetrics.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    @TempDir Path dir;

    @Test
    void shouldFlattenNestedYamlMapsAndIndexLists() throws IOException {
        Path file =
                write(
                        "dm.yaml",
                        """
                        kafka:
                          bootstrap-servers: localhost:9092
                          topics:
                            attempts: delivery-attempts
                        shards:
                          - jdbc-url: jdbc:mariadb://db0/dm
                            user: dm
                          - jdbc-url: jdbc:mariadb://db1/dm
                        origins: [a.example, b.example]
                        retention:
                          minute: 7d
                        enabled: true
                        parallelism: 4
                        ratio: 0.5
                        nothing:
                        """);

        Settings s = ConfigLoader.create().withFile(file).load();

        assertThat(s.asMap())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.ofEntries(
                                Map.entry("kafka.bootstrap-servers", "localhost:9092"),
                                Map.entry("kafka.topics.attempts", "delivery-attempts"),
                                Map.entry("shards.0.jdbc-url", "jdbc:mariadb://db0/dm"),
                                Map.entry("shards.0.user", "dm"),
                                Map.entry("shards.1.jdbc-url", "jdbc:mariadb://db1/dm"),
                                Map.entry("origins.0", "a.example"),
                                Map.entry("origins.1", "b.example"),
                                Map.entry("retention.minute", "7d"),
                                Map.entry("enabled", "true"),
                                Map.entry("parallelism", "4"),
                                Map.entry("ratio", "0.5")));
    }

    @Test
    void shouldReadAPropertiesFile() throws IOException {
        Path file =
                write(
                        "dm.properties",
                        """
                        # comment
                        kafka.bootstrap-servers = localhost:9092
                        shards.0.jdbc-url=jdbc:mariadb://db0/dm
                        api.port: 8080
                        """);

        Settings s = ConfigLoader.create().withFile(file).load();

        assertThat(s.asMap())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "kafka.bootstrap-servers", "localhost:9092",
                                "shards.0.jdbc-url", "jdbc:mariadb://db0/dm",
                                "api.port", "8080"));
    }

    @Test
    void shouldLayerDefaultsFileEnvironmentAndArguments() throws IOException {
        Path file =
                write(
                        "dm.yaml",
                        """
                        from-file: file
                        from-env: file
                        from-args: file
                        """);

        Settings s =
                ConfigLoader.create()
                        .withDefaults(
                                Map.of(
                                        "only-default", "default",
                                        "from-file", "default",
                                        "from-env", "default",
                                        "from-args", "default"))
                        .withFile(file)
                        .withEnvironment(Map.of("DM_FROM_ENV", "env", "DM_FROM_ARGS", "env"))
                        .withArgs("--from-args=args")
                        .load();

        assertThat(s.asMap())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "only-default", "default",
                                "from-file", "file",
                                "from-env", "env",
                                "from-args", "args"));
    }

    @Test
    void shouldOverrideANestedKeyFromTheEnvironment() {
        Settings s =
                ConfigLoader.create()
                        .withDefaults(Map.of("kafka.group-id", "dm", "shards.0.jdbc-url", "x"))
                        .withEnvironment(
                                Map.of(
                                        "DM_KAFKA_GROUP_ID", "from-env",
                                        "DM_SHARDS_0_JDBC_URL", "jdbc:env"))
                        .load();

        assertThat(s.string("kafka.group-id")).isEqualTo("from-env");
        assertThat(s.string("shards.0.jdbc-url")).isEqualTo("jdbc:env");
    }

    @Test
    void shouldIgnoreEnvironmentVariablesForUnknownKeysAndOtherPrefixes() {
        Settings s =
                ConfigLoader.create()
                        .withDefaults(Map.of("port", "8080"))
                        .withEnvironment(Map.of("DM_OTHER", "x", "PORT", "9090"))
                        .load();

        assertThat(s.asMap()).containsExactly(Map.entry("port", "8080"));
    }

    @ParameterizedTest
    @CsvSource({
        "kafka.group-id,           DM_KAFKA_GROUP_ID",
        "shards.0.jdbc-url,        DM_SHARDS_0_JDBC_URL",
        "api.rate-limit.per-token, DM_API_RATE_LIMIT_PER_TOKEN",
        "port,                     DM_PORT",
    })
    void shouldNameTheEnvironmentVariableOfAKey(String key, String env) {
        assertThat(ConfigLoader.envName(key)).isEqualTo(env);
    }

    @Test
    void shouldTakeTheFileFromTheConfigArgument() throws IOException {
        Path file = write("custom.yaml", "name: from-arg-file\n");

        Settings s = ConfigLoader.create().withArgs("--config", file.toString()).load();

        assertThat(s.string("name")).isEqualTo("from-arg-file");
        assertThat(s.has("config")).isFalse();
    }

    @Test
    void shouldTakeTheFileFromDmConfigWhenNoArgumentNamesOne() throws IOException {
        Path envFile = write("env.yaml", "name: from-env-file\n");
        Path argFile = write("arg.yaml", "name: from-arg-file\n");
        Map<String, String> env = Map.of(ConfigLoader.CONFIG_ENV, envFile.toString());

        assertThat(ConfigLoader.create().withEnvironment(env).load().string("name"))
                .isEqualTo("from-env-file");
        assertThat(
                        ConfigLoader.create()
                                .withEnvironment(env)
                                .withArgs("--config=" + argFile)
                                .load()
                                .string("name"))
                .isEqualTo("from-arg-file");
    }

    @Test
    void shouldAcceptKeyValueFormsAndBareFlags() {
        Settings s =
                ConfigLoader.create()
                        .withArgs("--a=1", "--b", "2", "--dry-run", "--c=x=y", "--last")
                        .load();

        assertThat(s.asMap())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("a", "1", "b", "2", "dry-run", "true", "c", "x=y", "last", "true"));
    }

    @Test
    void shouldRejectAPositionalArgument() {
        assertThatThrownBy(() -> ConfigLoader.create().withArgs("run"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unexpected argument 'run': use --key=value or --config PATH");
        assertThatThrownBy(() -> ConfigLoader.create().withArgs("--"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unexpected argument '--'");
    }

    @Test
    void shouldReportAConfigFileThatDoesNotExist() {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> ConfigLoader.create().withFile(missing).load())
                .isInstanceOf(ConfigException.class)
                .hasMessage("configuration file " + missing + " does not exist");
    }

    @Test
    void shouldReportADuplicateYamlKey() throws IOException {
        Path file =
                write(
                        "dup.yaml",
                        """
                        kafka:
                          group-id: a
                          group-id: b
                        """);

        assertThatThrownBy(() -> ConfigLoader.create().withFile(file).load())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cannot parse YAML dup.yaml: ")
                .hasMessageContaining("group-id");
    }

    @Test
    void shouldReportMalformedYaml() throws IOException {
        Path file = write("bad.yml", "kafka: [unclosed\n");

        assertThatThrownBy(() -> ConfigLoader.create().withFile(file).load())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cannot parse YAML bad.yml: ");
    }

    @Test
    void shouldRequireAMappingAtTheTopOfAYamlFile() throws IOException {
        Path file = write("list.yaml", "- a\n- b\n");

        assertThatThrownBy(() -> ConfigLoader.create().withFile(file).load())
                .isInstanceOf(ConfigException.class)
                .hasMessage("YAML list.yaml must be a mapping at the top level");
    }

    @Test
    void shouldTreatAnEmptyYamlFileAsNoSettings() throws IOException {
        Path file = write("empty.yaml", "# nothing yet\n");

        Settings s = ConfigLoader.create().withDefaults(Map.of("a", "1")).withFile(file).load();

        assertThat(s.asMap()).containsExactly(Map.entry("a", "1"));
    }

    @Test
    void shouldReportMalformedProperties() throws IOException {
        Path file = write("bad.properties", "key=\\uZZZZ\n");

        assertThatThrownBy(() -> ConfigLoader.create().withFile(file).load())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cannot parse properties bad.properties: ");
    }

    @Test
    void shouldReadDefaultsFromAClasspathResource() {
        Settings s =
                ConfigLoader.create()
                        .withDefaultsResource(ConfigLoaderTest.class, "test-defaults.yaml")
                        .withArgs("--api.port=9999")
                        .load();

        assertThat(s.integer("api.port")).isEqualTo(9999);
        assertThat(s.duration("api.timeout")).hasSeconds(10);
        assertThat(s.list("api.origins")).containsExactly("http://a", "http://b");
    }

    @Test
    void shouldReportAMissingDefaultsResource() {
        assertThatThrownBy(
                        () ->
                                ConfigLoader.create()
                                        .withDefaultsResource(ConfigLoaderTest.class, "nope.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("configuration resource nope.yaml not found");
    }

    @Test
    void shouldReportAMissingRequiredKeyAfterLoading() {
        Settings s = ConfigLoader.create().withDefaults(Map.of("a", "1")).load();

        assertThatThrownBy(() -> s.string("kafka.bootstrap-servers"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("missing required setting 'kafka.bootstrap-servers'");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }
}

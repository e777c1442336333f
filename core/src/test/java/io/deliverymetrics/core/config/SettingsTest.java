package io.deliverymetrics.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource(
            delimiter = '|',
            value = {
                "500ms  | 500",
                "10s    | 10000",
                "5m     | 300000",
                "2h     | 7200000",
                "7d     | 604800000",
                "PT10S  | 10000",
                "PT1H30M | 5400000",
                "P2D    | 172800000",
                "10 s   | 10000",
                "0s     | 0",
                "' 5m ' | 300000",
            })
    void shouldParseDurations(String value, long expectedMillis) {
        Settings s = Settings.of(Map.of("timeout", value));

        assertThat(s.duration("timeout")).isEqualTo(Duration.ofMillis(expectedMillis));
        assertThat(s.duration("timeout", Duration.ZERO))
                .isEqualTo(Duration.ofMillis(expectedMillis));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "10",
                "ten seconds",
                "-5s",
                "5w",
                "5M",
                "1.5h",
                "10 sec",
                "PT",
                "P1X",
                "99999999999999999999s",
                "9999999999999999d"
            })
    void shouldReportAnInvalidDurationReadably(String value) {
        Settings s = Settings.of(Map.of("timeout", value));

        assertThatThrownBy(() -> s.duration("timeout"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "setting 'timeout' must be a duration such as 10s, 5m, 2h, 7d or PT10S,"
                                + " was '"
                                + value
                                + "'");
    }

    @Test
    void shouldFallBackForAbsentOrBlankValues() {
        Settings s = Settings.of(Map.of("blank", "  "));

        assertThat(s.duration("absent", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.duration("blank", Duration.ofSeconds(4))).isEqualTo(Duration.ofSeconds(4));
        assertThat(s.string("blank", "fb")).isEqualTo("fb");
        assertThat(s.integer("absent", 7)).isEqualTo(7);
        assertThat(s.longValue("absent", 8L)).isEqualTo(8L);
        assertThat(s.decimal("absent", 0.25)).isEqualTo(0.25);
        assertThat(s.bool("absent", true)).isTrue();
        assertThat(s.optional("blank")).isEmpty();
        assertThat(s.has("blank")).isTrue();
        assertThat(s.has("absent")).isFalse();
    }

    @Test
    void shouldTrimValues() {
        Settings s = Settings.of(Map.of("host", "  db0  ", "port", " 3306 "));

        assertThat(s.string("host")).isEqualTo("db0");
        assertThat(s.integer("port")).isEqualTo(3306);
    }

    @Test
    void shouldReportAMissingRequiredSetting() {
        Settings s = Settings.of(Map.of("blank", ""));

        assertThatThrownBy(() -> s.string("kafka.bootstrap-servers"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("missing required setting 'kafka.bootstrap-servers'");
        assertThatThrownBy(() -> s.integer("blank"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("missing required setting 'blank'");
        assertThatThrownBy(() -> s.duration("timeout"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("missing required setting 'timeout'");
    }

    @Test
    void shouldReportBadTypedValuesReadably() {
        Settings s =
                Settings.of(
                        Map.of(
                                "port", "eighty",
                                "big", "99999999999",
                                "ratio", "half",
                                "enabled", "maybe",
                                "limit", "1e3"));

        assertThatThrownBy(() -> s.integer("port"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("setting 'port' must be an integer, was 'eighty'");
        assertThatThrownBy(() -> s.integer("big", 1))
                .isInstanceOf(ConfigException.class)
                .hasMessage("setting 'big' must be an integer, was '99999999999'");
        assertThatThrownBy(() -> s.decimal("ratio", 1))
                .isInstanceOf(ConfigException.class)
                .hasMessage("setting 'ratio' must be a number, was 'half'");
        assertThatThrownBy(() -> s.bool("enabled", false))
                .isInstanceOf(ConfigException.class)
                .hasMessage("setting 'enabled' must be true or false, was 'maybe'");
        assertThatThrownBy(() -> s.longValue("limit", 1))
                .isInstanceOf(ConfigException.class)
                .hasMessage("setting 'limit' must be an integer, was '1e3'");
    }

    @ParameterizedTest
    @CsvSource({"true, true", "YES, true", "on, true", "false, false", "No, false", "OFF, false"})
    void shouldReadBooleanWords(String value, boolean expected) {
        assertThat(Settings.of(Map.of("b", value)).bool("b", !expected)).isEqualTo(expected);
    }

    @Test
    void shouldReadNumbers() {
        Settings s = Settings.of(Map.of("big", "99999999999", "ratio", "0.75", "neg", "-3"));

        assertThat(s.longValue("big", 0)).isEqualTo(99_999_999_999L);
        assertThat(s.decimal("ratio", 0)).isEqualTo(0.75);
        assertThat(s.integer("neg")).isEqualTo(-3);
    }

    @Test
    void shouldCutASectionWithoutItsPrefix() {
        Settings s =
                Settings.of(
                        Map.of(
                                "kafka.bootstrap-servers", "b:9092",
                                "kafka.consumer.group-id", "dm",
                                "kafka", "ignored",
                                "kafkaesque.x", "no",
                                "api.port", "8080"));

        Settings kafka = s.section("kafka");

        assertThat(kafka.asMap())
                .containsExactly(
                        Map.entry("bootstrap-servers", "b:9092"),
                        Map.entry("consumer.group-id", "dm"));
        assertThat(kafka.section("consumer").string("group-id")).isEqualTo("dm");
        assertThat(s.section("missing").asMap()).isEmpty();
    }

    @Test
    void shouldListNumericIndicesInNumericOrder() {
        Settings s =
                Settings.of(
                        Map.of(
                                "shards.10.jdbc-url", "j10",
                                "shards.2.jdbc-url", "j2",
                                "shards.2.user", "u",
                                "shards.0", "j0",
                                "shards.name", "not an index",
                                "shardsx.1", "other prefix"));

        assertThat(s.indices("shards")).containsExactly(0, 2, 10);
        assertThat(s.indices("nothing")).isEmpty();
    }

    @Test
    void shouldListChildNames() {
        Settings s =
                Settings.of(
                        Map.of(
                                "overrides.ws_b", "1",
                                "overrides.ws_a", "0",
                                "overrides.ws_a.note", "x"));

        assertThat(s.childNames("overrides")).containsExactly("ws_a", "ws_b");
    }

    @Test
    void shouldReadAListFromCommaSeparatedOrIndexedValues() {
        Settings s =
                Settings.of(
                        Map.of(
                                "inline", " a, b ,,c ",
                                "indexed.1", "second",
                                "indexed.0", "first",
                                "indexed.10", "eleventh",
                                "both", "inline-wins",
                                "both.0", "ignored"));

        assertThat(s.list("inline")).containsExactly("a", "b", "c");
        assertThat(s.list("indexed")).containsExactly("first", "second", "eleventh");
        assertThat(s.list("both")).containsExactly("inline-wins");
        assertThat(s.list("absent")).isEmpty();
    }

    @Test
    void shouldMaskSecretsInToString() {
        Settings s =
                Settings.of(
                        Map.of(
                                "shards.0.password", "hunter2",
                                "datadog.api-key", "dd-key-123",
                                "oauth.client-secret", "cs-456",
                                "api.token", "tok-789",
                                "shards.0.user", "dm"));

        assertThat(s.toString())
                .doesNotContain("hunter2", "dd-key-123", "cs-456", "tok-789")
                .contains("shards.0.password=****")
                .contains("datadog.api-key=****")
                .contains("shards.0.user=dm");
    }

    @Test
    void shouldBeImmutable() {
        HashMap<String, String> source = new HashMap<>(Map.of("a", "1"));
        Settings s = Settings.of(source);

        source.put("a", "2");

        assertThat(s.string("a")).isEqualTo("1");
        assertThatThrownBy(() -> s.asMap().put("b", "2"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}

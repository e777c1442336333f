package io.deliverymetrics.datadog.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deliverymetrics.core.config.ConfigException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForwarderConfigTest {

    private static Map<String, String> oneWorkspace() {
        Map<String, String> m = new HashMap<>();
        m.put("workspaces.0.id", "ws_acme");
        m.put("workspaces.0.token", "dm_0123456789abcdef.secret-token");
        return m;
    }

    @Test
    void shouldUseTheDocumentedDefaults() {
        ForwarderConfig c =
                ForwarderConfig.withOverrides(oneWorkspace(), Map.of("DD_API_KEY", "k"));

        assertThat(c.api().baseUrl()).isEqualTo(URI.create("http://localhost:8080"));
        assertThat(c.poll().interval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.poll().overlap()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.poll().maxCatchUp()).isEqualTo(Duration.ofMinutes(55));
        assertThat(c.datadog().site()).isEqualTo("datadoghq.com");
        assertThat(c.datadog().baseUrl()).isEqualTo(URI.create("https://api.datadoghq.com"));
        assertThat(c.datadog().batch().maxSeries()).isEqualTo(500);
        assertThat(c.datadog().batch().maxBytes()).isLessThanOrEqualTo(512_000);
        assertThat(c.datadog().contentEncoding()).isEqualTo(ForwarderConfig.ContentEncoding.GZIP);
        assertThat(c.workspaces())
                .singleElement()
                .satisfies(w -> assertThat(w.id()).isEqualTo("ws_acme"));
        assertThat(c.metrics()).isEqualTo(new ForwarderConfig.Metrics(true, "127.0.0.1", 8092));
        assertThat(c.destinations()).isEqualTo(ForwarderConfig.Destinations.DISABLED);
    }

    @Test
    void shouldForwardTheDestinationStatusOnlyWithAnOperatorTokenConfigured() {
        Map<String, String> s = oneWorkspace();
        s.put("destinations.enabled", "true");

        assertThatThrownBy(() -> ForwarderConfig.withOverrides(s, Map.of("DD_API_KEY", "k")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("destinations.token");

        s.put("destinations.token-env", "OPERATOR_TOKEN");
        ForwarderConfig c =
                ForwarderConfig.withOverrides(
                        s, Map.of("DD_API_KEY", "k", "OPERATOR_TOKEN", "dm_00000000000000ff.op"));
        assertThat(c.destinations())
                .isEqualTo(new ForwarderConfig.Destinations(true, "dm_00000000000000ff.op"));
        assertThat(c.toString()).doesNotContain("dm_00000000000000ff.op");
    }

    @Test
    void shouldNeedNoWorkspaceWhenOnlyTheDestinationStatusIsForwarded() {
        ForwarderConfig c =
                ForwarderConfig.withOverrides(
                        Map.of("destinations.enabled", "true", "destinations.token", "dm_x.op"),
                        Map.of("DD_API_KEY", "k"));

        assertThat(c.workspaces()).isEmpty();
        assertThatThrownBy(() -> ForwarderConfig.withOverrides(Map.of(), Map.of("DD_API_KEY", "k")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no workspaces configured");
    }

    @Test
    void shouldRefuseExtraTagsThatWouldOverrideTheDestinationSeriesOwnTags() {
        for (String tag : new String[] {"destination_type:x", "status:ok"}) {
            Map<String, String> s = oneWorkspace();
            s.put("datadog.tags", tag);

            assertThatThrownBy(() -> ForwarderConfig.withOverrides(s, Map.of("DD_API_KEY", "k")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("own tag");
        }
    }

    @Test
    void shouldTakeTheSiteAndKeyFromDatadogsEnvironmentVariablesWhenNotConfigured() {
        ForwarderConfig c =
                ForwarderConfig.withOverrides(
                        oneWorkspace(),
                        Map.of("DD_API_KEY", "from-env", "DD_SITE", "datadoghq.eu"));

        assertThat(c.datadog().apiKey()).isEqualTo("from-env");
        assertThat(c.datadog().baseUrl()).isEqualTo(URI.create("https://api.datadoghq.eu"));
    }

    @Test
    void shouldPreferConfiguredValuesAndTheBaseUrlOverride() {
        Map<String, String> s = oneWorkspace();
        s.put("datadog.site", "us5.datadoghq.com");
        s.put("datadog.api-key", "configured");
        ForwarderConfig c =
                ForwarderConfig.withOverrides(
                        s, Map.of("DD_API_KEY", "env", "DD_SITE", "datadoghq.eu"));
        assertThat(c.datadog().baseUrl()).isEqualTo(URI.create("https://api.us5.datadoghq.com"));
        assertThat(c.datadog().apiKey()).isEqualTo("configured");

        s.put("datadog.base-url", "http://127.0.0.1:9999/");
        assertThat(ForwarderConfig.withOverrides(s, Map.of()).datadog().baseUrl())
                .isEqualTo(URI.create("http://127.0.0.1:9999"));
    }

    @Test
    void shouldLoadDmEnvironmentOverridesAndTokensFromNamedVariables() {
        ForwarderConfig c =
                ForwarderConfig.load(
                        Map.of(
                                "DM_DATADOG_API_KEY", "k",
                                "DM_POLL_OVERLAP", "15m",
                                "ACME_TOKEN", "dm_0123456789abcdef.s"),
                        "--workspaces.0.id=ws_acme",
                        "--workspaces.0.token-env=ACME_TOKEN");

        assertThat(c.poll().overlap()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.workspaces().get(0).token()).isEqualTo("dm_0123456789abcdef.s");
    }

    @Test
    void shouldNeverPrintSecrets() {
        ForwarderConfig c =
                ForwarderConfig.withOverrides(oneWorkspace(), Map.of("DD_API_KEY", "sup3r-s3cret"));

        assertThat(c.toString()).doesNotContain("sup3r-s3cret").doesNotContain("secret-token");
    }

    @Test
    void shouldRejectAMissingKeyWorkspaceOrBadValuesWithTheKeyInTheMessage() {
        assertThatThrownBy(() -> ForwarderConfig.withOverrides(oneWorkspace(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DD_API_KEY");
        assertThatThrownBy(() -> ForwarderConfig.withOverrides(Map.of(), Map.of("DD_API_KEY", "k")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("workspaces.0.id");
        Map<String, String> s = oneWorkspace();
        s.put("datadog.batch.max-bytes", "600000");
        assertThatThrownBy(() -> ForwarderConfig.withOverrides(s, Map.of("DD_API_KEY", "k")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("datadog.batch.max-bytes");
        Map<String, String> t = oneWorkspace();
        t.put("poll.max-catch-up", "5m");
        assertThatThrownBy(() -> ForwarderConfig.withOverrides(t, Map.of("DD_API_KEY", "k")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("poll.max-catch-up");
        Map<String, String> u = oneWorkspace();
        u.put("datadog.tags", "source:x");
        assertThatThrownBy(() -> ForwarderConfig.withOverrides(u, Map.of("DD_API_KEY", "k")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("source");
        Map<String, String> v = oneWorkspace();
        v.put("metrics.port", "70000");
        assertThatThrownBy(() -> ForwarderConfig.withOverrides(v, Map.of("DD_API_KEY", "k")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("metrics.port");
    }

    @Test
    void shouldNeedTheKeysEachPurposeUses() {
        assertThatThrownBy(() -> ForwarderConfig.withOverrides(oneWorkspace(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DD_API_KEY");

        // the goals dry run prints definitions and talks to no Datadog API
        ForwarderConfig dry =
                ForwarderConfig.withOverrides(
                        ForwarderConfig.Purpose.GOALS_DRY_RUN, oneWorkspace(), Map.of());
        assertThat(dry.datadog().apiKey()).isNull();
        assertThat(dry.goals().notification()).isEmpty();

        assertThatThrownBy(
                        () ->
                                ForwarderConfig.withOverrides(
                                        ForwarderConfig.Purpose.GOALS_APPLY,
                                        oneWorkspace(),
                                        Map.of("DD_API_KEY", "k")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DD_APP_KEY");

        Map<String, String> s = oneWorkspace();
        s.put("goals.notify", "@slack-oncall");
        ForwarderConfig apply =
                ForwarderConfig.withOverrides(
                        ForwarderConfig.Purpose.GOALS_APPLY,
                        s,
                        Map.of("DD_API_KEY", "k", "DD_APP_KEY", "app-secret"));
        assertThat(apply.datadog().applicationKey()).isEqualTo("app-secret");
        assertThat(apply.goals().notification()).isEqualTo("@slack-oncall");
        assertThat(apply.datadog().toString())
                .doesNotContain("app-secret")
                .contains("applicationKey=****");
    }
}

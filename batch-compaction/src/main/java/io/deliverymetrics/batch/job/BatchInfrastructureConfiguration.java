package io.deliverymetrics.batch.job;

import com.zaxxer.hikari.HikariDataSource;
import io.deliverymetrics.batch.config.BatchConfig;
import io.deliverymetrics.batch.internal.ShardDataSources;
import org.springframework.batch.core.configuration.support.JdbcDefaultBatchConfiguration;
import org.springframework.batch.infrastructure.support.DatabaseType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * Spring Batch's JDBC job repository in the control database, and the shard connection pools.
 *
 * <p>The schema comes from the control migrations ({@code V2__spring_batch.sql}), never from
 * Spring. The database type is fixed to MySQL: MariaDB speaks its dialect, and the MySQL schema
 * emulates sequences with tables, which is what this type's incrementers expect.
 */
@Configuration(proxyBeanMethods = false)
public class BatchInfrastructureConfiguration extends JdbcDefaultBatchConfiguration {

    /** The control database: job repository (and, separately pooled, the Quartz job store). */
    @Bean(destroyMethod = "close")
    public HikariDataSource dataSource(BatchConfig config) {
        return ShardDataSources.control(config.control());
    }

    @Bean
    public JdbcTransactionManager transactionManager(HikariDataSource dataSource) {
        return new JdbcTransactionManager(dataSource);
    }

    @Bean(destroyMethod = "close")
    public ShardDataSources shardDataSources(BatchConfig config) {
        return ShardDataSources.open(
                config.shards(), config.global(), config.compaction().shardPoolSize());
    }

    @Override
    protected String getDatabaseType() {
        return DatabaseType.MYSQL.name();
    }
}

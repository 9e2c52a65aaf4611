package dev.git.webhooks.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The service's database sessions as it configures them: no JIT compilation of queries. */
@QuarkusTest
class DatabaseSessionTest {

    @Inject
    DataSource dataSource;

    @Test
    void everySessionRunsWithoutJitCompilation() throws Exception {
        for (int i = 0; i < 3; i++) { // whichever connection of the pool
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("show jit")) {
                rows.next();
                assertEquals("off", rows.getString(1));
            }
        }
    }
}

package dev.git.webhooks.ingest.consumer;

import org.jboss.logging.Logger;

/** The loop's log lines, through a logger of the service (the consumer's, whose level operators set). */
public final class LoggerLines implements IngestLog.Lines {

    private final Logger logger;

    public LoggerLines(Logger logger) {
        this.logger = logger;
    }

    @Override
    public void info(String line) {
        logger.info(line);
    }

    @Override
    public void warn(String line, Throwable cause) {
        logger.warn(line, cause);
    }

    @Override
    public void debug(String line) {
        logger.debug(line);
    }
}

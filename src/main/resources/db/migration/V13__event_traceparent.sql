-- The producer's W3C trace context (the `traceparent` Kafka header, normalised; NULL when it sent none or an
-- invalid one). Every attempt of the event's deliveries continues it, including retries claimed later by any
-- instance (docs/operations.md, Tracing). A plain nullable column: no index, no rewrite of the table.
alter table event add column traceparent text;

-- A dead letter is one record of the dead-letter topic: its partition and offset, and the record's own timestamp (in
-- milliseconds, as Kafka gives it: exact, and storable whatever its value). Offsets alone name a record only within
-- one life of the topic: a dead-letter topic deleted and created again, or the service moved to another Kafka
-- cluster, numbers its records from 0 again, and the index took each new record for one it had read already (on
-- conflict do nothing) and never showed it. The rows indexed before keep no timestamp (null); the indexer takes a
-- record for one of them when its partition, offset and bytes match.
alter table dead_letter add column dlq_timestamp_ms bigint;
alter table dead_letter drop constraint dead_letter_dlq_topic_dlq_partition_dlq_offset_key;
create unique index dead_letter_record on dead_letter (dlq_topic, dlq_partition, dlq_offset, dlq_timestamp_ms);

-- What the console reads and the audit log keeps. Only an index and nullable columns: safe for a rolling update.
--
-- A replay's page counts its copies by outcome (delivered, failed, still sending). Copies carry replay_id, set once
-- when the copy is inserted and never updated, so this partial index leaves the delivery path's updates HOT and
-- costs nothing for deliveries that are not replay copies.
create index delivery_replay on delivery (replay_id) where replay_id is not null;

-- The audit log names the operator's key as it was called when it acted (a revoked key's entries keep its name) and
-- says what the action did ("disabled; 2,510 pending deliveries failed"), not only its HTTP status.
alter table audit_entry add column key_name text, add column outcome text;
create index audit_entry_action on audit_entry (action, seq);

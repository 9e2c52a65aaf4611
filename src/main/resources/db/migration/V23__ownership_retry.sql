-- Failed ownership checks are tried again by themselves, with growing waits: the instances look for those due by the
-- time their last check ended. A partial index only: safe for a rolling update (an instance of an older version
-- never tries a failed check again, which is what it did before).
create index webhook_endpoint_ownership_retry on webhook_endpoint (ownership_checked_at)
    where ownership_state = 'failed';

-- During a rolling update, an instance older than V22 knows nothing of the check: its URL change would keep a
-- verified (or failed) check for the new URL, and its enable would enable an endpoint whose check has not passed.
-- The database keeps the rule for every version: a new URL of an endpoint with a check makes the check pending
-- again (since now, unless it was pending or failed already) and holds the endpoint back; an endpoint whose check has
-- not passed stays disabled ('unverified'). The instances of this version do the same themselves first.
create function webhook_endpoint_ownership_holds() returns trigger language plpgsql as $$
begin
    if new.url is distinct from old.url and new.ownership_state in ('verified', 'failed') then
        if new.ownership_state = 'verified' then
            new.ownership_since := now();
        end if;
        new.ownership_state := 'pending';
        new.ownership_error := null;
        new.ownership_lease_until := null;
    end if;
    if new.ownership_state in ('pending', 'failed') and new.status = 'enabled' then
        new.status := 'disabled';
        new.disabled_reason := 'unverified';
    end if;
    return new;
end
$$;

create trigger webhook_endpoint_ownership_holds before update on webhook_endpoint
    for each row when (new.ownership_state is not null)
    execute function webhook_endpoint_ownership_holds();

package dev.git.webhooks.delivery.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

import org.jboss.logging.Logger;

import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.outbox.OutboxStore.Release;
import dev.git.webhooks.outbox.Outcome;

/**
 * The delivery engine's state and every decision about it, on one thread, driven by {@link Command}s; the I/O it
 * decides on goes out through {@link Effects}, and comes back as commands. It owns the lanes (one per endpoint it
 * sends to), their breakers, the claims it holds (in lanes, in flight, or waiting to be written), which buckets of
 * endpoints it owns and until when its lease lets it act on them, and the bookkeeping of what is still to be written.
 * No lock, no callback into it, and a {@link Clock} for time: the unit tests drive it with a fake clock and a list of
 * commands.
 *
 * <p>One delivery through it: {@link Command.Offer} (or a claim from the queue) puts it in its endpoint's lane; a free
 * slot, a breaker that allows it, the recording budget and this instance's ownership of the endpoint start its attempt
 * ({@link Effects#attempt}); {@link Command.Finished} frees the slot and queues the outcome for the next write
 * ({@link Effects#write}); {@link Command.Written} forgets it.
 */
final class EngineCore {

    private static final Logger LOG = Logger.getLogger(EngineCore.class);
    static final Duration IDLE = Duration.ofMinutes(10);
    /** How long an ordered endpoint's settled keys and new rows wait to share one claim ({@code nextOfItsKey}). */
    static final Duration ORDERED_BATCH = Duration.ofMillis(20);

    private final Settings settings;
    private final Clock clock;
    private final Effects effects;

    private final Map<String, Lane> lanes = new HashMap<>();
    /**
     * When endpoints last changed (a minute back at most): a fresh delivery offered afterwards but created before
     * (a redelivery or replay copy read the endpoint in a transaction that overlapped the change) goes back to the
     * queue, to be claimed as the endpoint now is.
     */
    private final Map<String, Instant> endpointsChanged = new HashMap<>();
    private static final Duration CHANGES_KEPT = Duration.ofMinutes(1);
    /** The last resync after lost signals: any endpoint may have changed before it. */
    private Instant resyncedAt = Instant.MIN;
    /** Lanes with deliveries waiting that may be able to start one. */
    private final Set<Lane> ready = new LinkedHashSet<>();
    /**
     * Lanes that matter to what is published: more than half full (full ones hold new deliveries back, fast ones
     * congest ingest) or with an open breaker. Kept as lanes change, so that publishing costs no walk over every lane.
     */
    private final Set<Lane> notable = new HashSet<>();
    /** Lanes of endpoints with a rate limit (their waiting deliveries are a metric). */
    private final Set<Lane> rateLimited = new HashSet<>();
    /** Lanes whose queued rows are due: worth a claim when they have room. */
    private final Set<Lane> due = new LinkedHashSet<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final Set<Integer> owned = new HashSet<>();
    private final Set<Integer> leaving = new HashSet<>();
    /** Leaving buckets whose release is being written. */
    private final Set<Integer> freeing = new HashSet<>();
    private Instant ownershipUntil = Instant.MIN;
    private boolean stopping;

    private int held;
    private long heldBytes;
    private int running;

    /** Jobs whose outcome or hand-back waits to be written (still this instance's claims). */
    private final Map<String, DeliveryJob> unwritten = new HashMap<>();
    private final List<Outcome> outcomes = new ArrayList<>();
    private final List<Release> releases = new ArrayList<>();
    private final Map<String, Effects.Breaker> breakers = new LinkedHashMap<>();
    private final Set<String> notify = new HashSet<>();
    private Effects.Write writing;
    private int writingOutcomes;
    /** When the oldest of {@link #outcomes} came (null when there is none): they linger until a while after. */
    private Instant outcomesSince;
    /** An outcome in {@link #outcomes} is an ordered delivery's: its key's next waits for it to be written. */
    private boolean urgentOutcome;
    private Instant writeAgainAt = Instant.MIN;
    private final RateWindow recorded = new RateWindow();
    /** Jobs whose outcome could not be written at all: one more lease, then it runs out and they are sent again. */
    private final Map<String, DeliveryJob> stranded = new HashMap<>();

    private Map<String, Integer> claiming;
    /**
     * A claim for lanes that hold nothing, made while {@link #claiming} is in flight: an endpoint's new deliveries
     * never wait behind the claim of another endpoint's backlog (SPEC §3, fair across owners).
     */
    private Map<String, Integer> claimingIdle;
    private Instant claimAgainAt = Instant.MIN;
    private final Set<String> toProbe = new LinkedHashSet<>();
    private final Set<Integer> bucketsToProbe = new HashSet<>();
    private boolean probing;
    private Instant probeAgainAt = Instant.MIN;
    private Instant resyncAt;

    private boolean renewing;
    private Instant renewAt;
    /** Fresh deliveries held that were created before this have their lease. */
    private Instant leasedUpTo = Instant.MIN;
    /** Fresh claims of this instance created before this were looked at for orphans. */
    private Instant orphansUpTo;
    private final List<Unheld> unheldToRelease = new ArrayList<>();

    private View published = View.NONE;
    private boolean changed = true;
    private Instant publishedAt = Instant.MIN;
    private Instant oldestFresh;
    private Instant oldestFreshAt = Instant.MIN;
    private Instant sweptAt = Instant.MIN;
    /** The view is published at most this often (readers tolerate a view this old: what no longer fits is given back). */
    static final Duration PUBLISH_EVERY = Duration.ofMillis(10);

    EngineCore(Settings settings, Clock clock, Effects effects) {
        this.settings = settings;
        this.clock = clock;
        this.effects = effects;
        Instant now = clock.instant();
        this.renewAt = now.plus(settings.heartbeat());
        this.resyncAt = now.plus(settings.resyncEvery());
        this.orphansUpTo = now;
    }

    private record Unheld(java.util.Collection<String> eventIds) {
    }

    /** One command, then whatever it makes possible. */
    void handle(Command command) {
        Instant now = clock.instant();
        if (command instanceof Command.Offer offer) {
            offer.jobs().forEach(job -> take(job, now));
            offered(offer.jobs());
        } else if (command instanceof Command.Finished finished) {
            finished(finished.job(), finished.outcome(), now);
        } else if (command instanceof Command.Written written) {
            written(written, now);
        } else if (command instanceof Command.WriteFailed failed) {
            writeFailed(failed.write(), now);
        } else if (command instanceof Command.Claimed claimed) {
            claimed(claimed.rooms(), claimed.jobs(), now);
        } else if (command instanceof Command.ClaimFailed failed) {
            claimFailed(failed.rooms(), now);
        } else if (command instanceof Command.Probed probed) {
            probed(probed, now);
        } else if (command instanceof Command.ProbeFailed failed) {
            probeFailed(failed, now);
        } else if (command instanceof Command.Renewed renewed) {
            renewed(renewed);
        } else if (command instanceof Command.RenewFailed failed) {
            renewing = false;
            Instant sweptFrom = failed.renewal().orphansFrom();
            if (sweptFrom != null && sweptFrom.isBefore(orphansUpTo)) {
                orphansUpTo = sweptFrom; // its window was not swept: the next renewal sweeps it with its own
            }
        } else if (command instanceof Command.Beat beat) {
            beat(beat, now);
        } else if (command instanceof Command.Gained gained) {
            gained(gained.buckets());
        } else if (command instanceof Command.Share share) {
            share(share.share(), now);
        } else if (command instanceof Command.Freed freed) {
            owned.removeAll(freed.buckets());
            leaving.removeAll(freed.buckets());
            freeing.removeAll(freed.buckets());
            changed = true;
        } else if (command instanceof Command.FreeFailed failed) {
            freeing.removeAll(failed.buckets());
        } else if (command instanceof Command.Queued queued) {
            queued(queued.endpoints(), now);
        } else if (command instanceof Command.EndpointChanged changedEndpoint) {
            endpointChanged(changedEndpoint.endpointId(), now);
        } else if (command instanceof Command.Resync) {
            resyncAt = now;
            // signals may have been missed meanwhile, an endpoint's change or stop among them: what is held is read
            // again as the endpoints now are (only the attempts in flight go on), and so is a fresh delivery made
            // before now and offered later
            resyncedAt = now;
            for (Lane lane : List.copyOf(lanes.values())) {
                giveBackHeld(lane, now);
            }
        } else if (command instanceof Command.ReleaseUnheld unheld) {
            unheldToRelease.add(new Unheld(unheld.eventIds()));
        } else if (command instanceof Command.Stop) {
            stop(now);
        } else if (!(command instanceof Command.Tick)) {
            throw new IllegalArgumentException("unknown command " + command);
        }
        advance(now);
    }

    /** When the engine wants a {@link Command.Tick} at the latest. */
    Instant nextWake() {
        Instant next = renewAt.isBefore(resyncAt) ? renewAt : resyncAt;
        Timer timer = timers.peek();
        if (timer != null && timer.at.isBefore(next)) {
            next = timer.at;
        }
        if (writeAgainAt.isAfter(clock.instant()) && writeAgainAt.isBefore(next)) {
            next = writeAgainAt;
        }
        Instant lingerEnds = outcomesSince == null ? null : outcomesSince.plus(settings.writeLinger());
        if (writing == null && lingerEnds != null && lingerEnds.isAfter(clock.instant()) && lingerEnds.isBefore(next)) {
            next = lingerEnds; // once it has passed, the write is made, or waits for writeAgainAt (above)
        }
        if (claimAgainAt.isAfter(clock.instant()) && claimAgainAt.isBefore(next)) {
            next = claimAgainAt;
        }
        if (probeAgainAt.isAfter(clock.instant()) && probeAgainAt.isBefore(next)) {
            next = probeAgainAt;
        }
        Instant publishAt = publishedAt.plus(PUBLISH_EVERY);
        if (changed && publishAt.isBefore(next)) {
            next = publishAt;
        }
        Instant now = clock.instant();
        return next.isBefore(now) ? now : next;
    }

    // ---- taking deliveries ----

    private void take(DeliveryJob job, Instant now) {
        Lane lane = lane(job.endpointId(), job.bucket(), now);
        if (!job.leased() && job.createdAt().isBefore(lastChange(job.endpointId()))) {
            giveBack(job, lane, now); // made with the endpoint as it was, perhaps
            return;
        }
        lane.limits(job.target().maxConcurrency(), job.target().rateLimit(), job.target().ordering() != null);
        if (lane.rateLimited()) {
            rateLimited.add(lane);
        }
        if (!accepts(lane, job, now) || !lane.inOrder(job)) {
            giveBack(job, lane, now);
            return;
        }
        lane.add(job, now);
        held++;
        heldBytes += job.payload().length;
        ready.add(lane);
        track(lane, now);
        changed = true;
    }

    /**
     * Fresh deliveries just offered count at once in the reaper's bound that the next view publishes: the bound is
     * walked once a second at most, and one walked before they arrived may be later than their creation (they were
     * created before their transaction committed).
     */
    private void offered(List<DeliveryJob> jobs) {
        for (DeliveryJob job : jobs) {
            if (oldestFresh != null && !job.leased() && job.createdAt().isBefore(oldestFresh)) {
                oldestFresh = job.createdAt();
            }
        }
        changed = true;
    }

    private boolean accepts(Lane lane, DeliveryJob job, Instant now) {
        return !stopping && sends(lane.bucket, now) && !lane.full(now) && lane.room(now) > 0
                && held < settings.maxHeld() && heldBytes + job.payload().length <= settings.maxHeldBytes();
    }

    /** Whether this instance sends to the endpoints of {@code bucket} now: it owns it, and its lease holds. */
    private boolean sends(int bucket, Instant now) {
        return owned.contains(bucket) && !leaving.contains(bucket) && now.isBefore(ownershipUntil);
    }

    /**
     * Back to the queue, unsent, no attempt counted: due when the endpoint's breaker may let one through, else now
     * (claimed again as soon as its lane has room, here or by its owner, who is told).
     */
    private void giveBack(DeliveryJob job, Lane lane, Instant now) {
        Instant openUntil = lane.breaker.openUntil();
        Instant at = openUntil.isAfter(now) ? openUntil : now;
        releases.add(new Release(job, at));
        unwritten.put(job.deliveryId(), job);
        if (!sends(lane.bucket, now)) {
            notify.add(job.endpointId()); // its owner claims it (once written; see written())
        }
    }

    /** {@link #giveBack(DeliveryJob, Lane, Instant)} for deliveries taken out of {@code lane}. */
    private void giveBack(List<DeliveryJob> jobs, Lane lane, Instant now) {
        for (DeliveryJob job : jobs) {
            held--;
            heldBytes -= job.payload().length;
            giveBack(job, lane, now);
        }
    }

    /**
     * Keeps {@link #notable} current after {@code lane} changed: a lane that may be full before it changes again (it
     * holds more than half of what it holds when its endpoint stops answering) or whose breaker is open.
     */
    private void track(Lane lane, Instant now) {
        if (lane.held() > lane.stalledCapacity() / 2 || lane.breaker.openUntil().isAfter(now)) {
            notable.add(lane);
        } else {
            notable.remove(lane);
        }
    }

    private Lane lane(String endpointId, int bucket, Instant now) {
        Lane lane = lanes.get(endpointId);
        if (lane == null) {
            lane = new Lane(endpointId, bucket, settings.cap(), settings.depth(), settings.breaker(), now);
            lanes.put(endpointId, lane);
        }
        return lane;
    }

    // ---- attempts ----

    /**
     * Starts what the lanes, the breakers, the recording budget and the ownership allow, one attempt per lane per turn
     * (round robin), so that no endpoint's backlog goes first.
     */
    private void start(Instant now) {
        int budget = budget(now);
        while (!ready.isEmpty() && running + unrecordedOutcomes() < budget) {
            Iterator<Lane> it = ready.iterator();
            Lane lane = it.next();
            it.remove();
            if (!sends(lane.bucket, now)) {
                continue; // what it holds waits: its bucket leaves (and is drained) or the lease is renewed
            }
            DeliveryJob job = lane.start(now);
            if (job == null) {
                scheduleReopen(lane, now);
                continue; // cap reached (a finish puts it back), or breaker or rate limit not allowing (a timer does)
            }
            running++;
            effects.attempt(job);
            if (lane.hasWaiting()) {
                ready.add(lane); // to the back of the turn
            }
        }
    }

    private int unrecordedOutcomes() {
        return outcomes.size() + writingOutcomes;
    }

    /** Attempts that may be sent and not yet recorded: about a second's worth of what was recorded lately. */
    private int budget(Instant now) {
        long perSecond = recorded.lastSecond(now);
        return (int) Math.max(settings.recordingFloor(), Math.min(settings.recordingCeiling(), perSecond));
    }

    private void finished(DeliveryJob job, Outcome outcome, Instant now) {
        Lane lane = lanes.get(job.endpointId());
        boolean success = outcome != null && outcome.result().succeeded();
        if (lane != null && lane.finished(job, success, now)) {
            running--;
            held--;
            heldBytes -= job.payload().length;
            changed = true;
            if (job.order() != null && (outcome == null || outcome.retrying())) {
                giveBack(lane.behind(job.order().key()), lane, now); // they wait for it in the queue
            }
            breakerMoved(lane, now);
            track(lane, now);
            if (lane.hasWaiting()) {
                ready.add(lane);
            }
        }
        if (outcome != null) {
            if (outcomes.isEmpty()) {
                outcomesSince = now;
            }
            urgentOutcome |= job.order() != null;
            outcomes.add(outcome);
            unwritten.put(job.deliveryId(), job);
        }
    }

    /**
     * The breaker opened or closed: the change is written (another owner, and the ops views, read it); once open, the
     * lane's waiting deliveries go back to the queue until it may close. Waiting on a breaker is not an attempt.
     */
    private void breakerMoved(Lane lane, Instant now) {
        CircuitBreaker breaker = lane.breaker;
        if (breaker.openings() != lane.openingsWritten) {
            lane.openingsWritten = breaker.openings();
            lane.writtenOpen = true;
            breakers.put(lane.endpointId, new Effects.Breaker(lane.endpointId, breaker.openUntil(),
                    breaker.currentDelay().toMillis()));
            giveBack(lane.drain(), lane, now);
            ready.remove(lane);
            scheduleReopen(lane, now);
            changed = true;
        } else if (lane.writtenOpen && breaker.state(now) == CircuitBreaker.State.CLOSED) {
            lane.writtenOpen = false;
            breakers.put(lane.endpointId, new Effects.Breaker(lane.endpointId, null, 0));
            changed = true;
        }
    }

    /** Wakes the lane when its breaker may let a trial through, or its rate limit the next attempt. */
    private void scheduleReopen(Lane lane, Instant now) {
        Instant until = lane.breaker.openUntil();
        if (until.isAfter(now)) {
            timers.add(new Timer(until, lane, Timer.Kind.REOPEN));
            return;
        }
        Instant slot = lane.rateHeldUntil(now);
        if (slot != null) {
            timers.add(new Timer(slot, lane, Timer.Kind.REOPEN));
        }
    }

    // ---- writing ----

    private void write(Instant now) {
        if (writing != null || now.isBefore(writeAgainAt)) {
            return;
        }
        if (outcomes.isEmpty() && releases.isEmpty() && breakers.isEmpty() || lingers(now)) {
            return;
        }
        int n = Math.min(outcomes.size(), settings.writeBatch());
        List<Outcome> batch = new ArrayList<>(outcomes.subList(0, n));
        outcomes.subList(0, n).clear();
        if (outcomes.isEmpty()) {
            outcomesSince = null;
            urgentOutcome = false;
        }
        writing = new Effects.Write(batch, List.copyOf(releases), List.copyOf(breakers.values()), Set.copyOf(notify));
        writingOutcomes = batch.size();
        releases.clear();
        breakers.clear();
        notify.clear();
        effects.write(writing);
    }

    /**
     * A few outcomes, and nothing that cannot wait, wait for more until {@link Settings#writeLinger()} after the
     * first of them came.
     */
    private boolean lingers(Instant now) {
        return outcomesSince != null && now.isBefore(outcomesSince.plus(settings.writeLinger()))
                && outcomes.size() < settings.writeBatch() / 4 && !urgentOutcome && releases.isEmpty() && !stopping
                && leaving.isEmpty();
    }

    private void written(Command.Written written, Instant now) {
        Effects.Write write = written.write();
        writing = null;
        writingOutcomes = 0;
        recorded.add(now, write.outcomes().size());
        for (Outcome o : write.outcomes()) {
            unwritten.remove(o.job().deliveryId());
        }
        for (Release r : write.releases()) {
            unwritten.remove(r.job().deliveryId());
        }
        for (Outcome o : written.applied()) {
            if (o.retrying()) {
                queuedHere(o.job(), o.nextAttemptAt(), now);
            } else if (o.job().order() != null) {
                nextOfItsKey(o.job(), now);
            }
        }
        if (!stopping) {
            for (Release r : write.releases()) {
                queuedHere(r.job(), r.at(), now);
            }
        }
        for (DeliveryJob job : written.stranded()) {
            stranded.put(job.deliveryId(), job);
        }
        freeLeftBuckets();
    }

    /**
     * An ordered endpoint's delivery is settled (written delivered or failed): once it was the last of its key's run
     * held here, the key's next run may be claimed now (a claim takes a key only when its first pending delivery is
     * claimable). Claimed shortly, without asking when it is due first: the keys that settle within
     * {@link #ORDERED_BATCH} share one claim (each claim of an ordered endpoint walks its keys).
     */
    private void nextOfItsKey(DeliveryJob job, Instant now) {
        Lane lane = lanes.get(job.endpointId());
        if (lane != null && !lane.holdsKey(job.order().key()) && sends(lane.bucket, now)) {
            dueAt(lane, now.plus(ORDERED_BATCH));
        }
    }

    private void writeFailed(Effects.Write write, Instant now) {
        writing = null;
        writingOutcomes = 0;
        if (outcomes.isEmpty() && !write.outcomes().isEmpty()) {
            outcomesSince = now;
        }
        outcomes.addAll(0, write.outcomes());
        urgentOutcome |= write.outcomes().stream().anyMatch(o -> o.job().order() != null);
        releases.addAll(0, write.releases());
        for (Effects.Breaker b : write.breakers()) {
            breakers.putIfAbsent(b.endpointId(), b);
        }
        notify.addAll(write.owners());
        writeAgainAt = now.plus(settings.retryEvery());
    }

    // ---- claims from the queue ----

    /** A row of an endpoint this instance sends to is in the queue now, due at {@code at}. */
    private void queuedHere(DeliveryJob job, Instant at, Instant now) {
        Lane lane = lanes.get(job.endpointId());
        if (lane != null && sends(lane.bucket, now)) {
            dueAt(lane, at);
        }
    }

    /** The queued rows of {@code lane} are due at {@code at}: claimed then, if it has room. */
    private void dueAt(Lane lane, Instant at) {
        if (lane.nextDue == null || at.isBefore(lane.nextDue)) {
            lane.nextDue = at;
        }
        if (!lane.nextDue.isAfter(clock.instant())) {
            due.add(lane);
        } else {
            timers.add(new Timer(lane.nextDue, lane, Timer.Kind.DUE));
        }
    }

    private void claim(Instant now) {
        boolean idleOnly = claiming != null; // then only lanes that hold nothing, in the second claim
        if ((idleOnly && claimingIdle != null) || stopping || now.isBefore(claimAgainAt) || due.isEmpty()) {
            return;
        }
        int claimed = idleOnly ? claiming.values().stream().mapToInt(Integer::intValue).sum() : 0; // may come
        int limit = Math.min(settings.claimBatch(), settings.maxHeld() - held - claimed);
        if (limit <= 0 || heldBytes >= settings.maxHeldBytes()) {
            return;
        }
        Map<String, Integer> rooms = new LinkedHashMap<>();
        Iterator<Lane> it = due.iterator();
        List<Lane> later = new ArrayList<>();
        while (it.hasNext() && limit > 0) {
            Lane lane = it.next();
            it.remove();
            if (!sends(lane.bucket, now) || lane.nextDue == null) {
                continue;
            }
            int room = Math.min(Math.min(lane.room(now), lane.claimWindow() - lane.held()), limit);
            if (room == 0 || lane.claiming || lane.held() > lane.stalledCapacity() / 2
                    || (idleOnly && lane.held() > 0)) {
                // claimed once it has room, and only once it is down to half of what it holds at least (its claim
                // window, or its depth and cap when these are fewer; a finish or the breaker's timer looks again): a
                // backlog is claimed in a few large claims, not one row per finished attempt, so that the claims of
                // other endpoints' new deliveries seldom wait behind one
                later.add(lane);
                continue;
            }
            rooms.put(lane.endpointId, room);
            lane.claiming = true;
            limit -= room;
        }
        due.addAll(later);
        if (rooms.isEmpty()) {
            return;
        }
        if (idleOnly) {
            claimingIdle = rooms;
        } else {
            claiming = rooms;
        }
        effects.claim(rooms, now, idleOnly);
    }

    /** The claim of these rooms is over (either slot's: the two never share a lane). */
    private void claimOver(Map<String, Integer> rooms) {
        if (rooms.equals(claimingIdle)) {
            claimingIdle = null;
        } else {
            claiming = null;
        }
    }

    private void claimed(Map<String, Integer> rooms, List<DeliveryJob> jobs, Instant now) {
        claimOver(rooms);
        Map<String, Integer> got = new HashMap<>();
        for (DeliveryJob job : jobs) {
            got.merge(job.endpointId(), 1, Integer::sum);
            Lane lane = lanes.get(job.endpointId());
            DeliveryJob unwrittenJob = unwritten.get(job.deliveryId());
            String heldClaim = unwrittenJob != null ? unwrittenJob.claim()
                    : lane == null ? null : lane.claimOf(job.deliveryId());
            if (job.claim().equals(heldClaim)) {
                // its own row again, its lease lapsed while its renewal or its outcome's write waited on the
                // database: held here already, under the same claim (a claim keeps this instance's own), so the
                // claim only renewed its lease; taken again, it would be sent twice
                continue;
            }
            if (heldClaim != null && unwrittenJob == null) {
                giveBack(job, lane, now); // the lane's is stale (its claim passed on): this one goes back, claimed
                continue;                 // again once the renewal has dropped the other
            } // a release or outcome to write under another claim is refused when written: this claim is the row's
            if (lane != null && lane.stale) {
                giveBack(job, lane, now); // read before the endpoint's change: claimed again as it is now
            } else {
                take(job, now);
            }
        }
        rooms.forEach((endpointId, room) -> {
            Lane lane = lanes.get(endpointId);
            if (lane == null) {
                return;
            }
            lane.claiming = false;
            if (lane.stale) {
                lane.stale = false;
                if (got.getOrDefault(endpointId, 0) == 0) {
                    due.add(lane); // nothing to wait for; else the release, once written, queues the claim
                }
                return;
            }
            if (got.getOrDefault(endpointId, 0) < room) {
                lane.nextDue = null; // took every due row: ask when the next one is due
                if (!lane.ordered()) {
                    toProbe.add(endpointId);
                } // an ordered lane's next rows are claimable when a delivery of their key settles (nextOfItsKey), a
                  // retry when its own time comes (queuedHere), others at the resync: no probe after every claim
            } else {
                due.add(lane); // there may be more
            }
        });
    }

    private void claimFailed(Map<String, Integer> rooms, Instant now) {
        claimOver(rooms);
        claimAgainAt = now.plus(settings.retryEvery());
        rooms.keySet().forEach(id -> {
            Lane lane = lanes.get(id);
            if (lane != null) {
                lane.claiming = false;
                lane.stale = false;
                due.add(lane);
            }
        });
    }

    private void probe(Instant now) {
        if (probing || stopping || now.isBefore(probeAgainAt)) {
            return;
        }
        if (!now.isBefore(resyncAt)) {
            resyncAt = now.plus(settings.resyncEvery());
            bucketsToProbe.addAll(owned);
            bucketsToProbe.removeAll(leaving);
        }
        if (!bucketsToProbe.isEmpty()) {
            probing = true;
            effects.probe(null, Set.copyOf(bucketsToProbe));
            bucketsToProbe.clear();
        } else if (!toProbe.isEmpty()) {
            probing = true;
            effects.probe(List.copyOf(toProbe), Set.of());
            toProbe.clear();
        }
    }

    private void probed(Command.Probed probed, Instant now) {
        probing = false;
        probed.found().forEach((endpointId, queue) -> {
            if (!sends(queue.bucket(), now)) {
                return;
            }
            Lane lane = lane(endpointId, queue.bucket(), now);
            if (lane.openingsWritten == 0 && !lane.writtenOpen && lane.held() == 0
                    && queue.breakerOpenUntil() != null && queue.breakerOpenUntil().isAfter(now)) {
                lane.breaker.restore(queue.breakerOpenUntil(), Duration.ofMillis(queue.breakerDelayMillis()), now);
                lane.writtenOpen = true; // as its last owner left it
                scheduleReopen(lane, now);
                track(lane, now);
                changed = true;
            }
            if (queue.next() != null) {
                dueAt(lane, queue.next());
            }
        });
    }

    private void probeFailed(Command.ProbeFailed failed, Instant now) {
        probing = false;
        if (failed.endpoints() != null) {
            toProbe.addAll(failed.endpoints());
        } else {
            resyncAt = now; // every owned bucket, once the database answers again
        }
        probeAgainAt = now.plus(settings.retryEvery());
    }

    /**
     * Rows of these endpoints were queued. An ordered endpoint's new rows (all of its deliveries are queued) are
     * claimed {@link #ORDERED_BATCH} later, so that the inserts of that while share one claim: at a steady rate, ingest
     * commits a batch every few milliseconds, and a claim per batch walked the endpoint's keys back to back.
     */
    private void queued(List<Command.Due> queued, Instant now) {
        for (Command.Due d : queued) {
            if (sends(d.bucket(), now)) {
                Lane lane = lane(d.endpointId(), d.bucket(), now);
                Instant batched = now.plus(ORDERED_BATCH);
                dueAt(lane, lane.ordered() && d.at().isBefore(batched) ? batched : d.at());
            }
        }
    }

    // ---- leases, ownership, identity ----

    /** Renews the leases of everything held here, and looks for orphaned fresh claims, every heartbeat. */
    private void renew(Instant now) {
        if (renewing || now.isBefore(renewAt)) {
            return;
        }
        renewAt = now.plus(settings.heartbeat());
        Instant convertBefore = now.minus(settings.freshHorizon().dividedBy(2));
        List<DeliveryJob> jobs = new ArrayList<>(stranded.values());
        Set<String> heldIds = new HashSet<>();
        java.util.function.Consumer<DeliveryJob> consider = job -> {
            heldIds.add(job.deliveryId());
            if (job.leased() || job.createdAt().isBefore(convertBefore)) {
                jobs.add(job);
            }
        };
        lanes.values().forEach(lane -> lane.forEachHeld(consider));
        unwritten.values().forEach(consider);
        stranded.clear();
        Instant orphansFrom = null;
        Instant orphansTo = null;
        if (convertBefore.isAfter(orphansUpTo)) {
            orphansFrom = orphansUpTo;
            orphansTo = convertBefore;
            orphansUpTo = convertBefore;
        }
        renewing = true;
        effects.renew(new Effects.Renewal(jobs, now.plus(settings.lease()), convertBefore, orphansFrom, orphansTo,
                heldIds));
        for (Unheld unheld : unheldToRelease) {
            effects.releaseUnheld(unheld.eventIds(), heldIds);
        }
        unheldToRelease.clear();
    }

    private void renewed(Command.Renewed renewed) {
        renewing = false;
        if (renewed.convertedBefore().isAfter(leasedUpTo)) {
            leasedUpTo = renewed.convertedBefore();
            changed = true;
        }
        if (!renewed.lost().isEmpty()) {
            int dropped = 0;
            Instant now = clock.instant();
            for (Lane lane : lanes.values()) {
                List<DeliveryJob> lost = lane.forget(renewed.lost());
                for (DeliveryJob job : lost) {
                    held--;
                    heldBytes -= job.payload().length;
                    dropped++;
                }
                giveBack(lane.behindDropped(lost), lane, now); // those of a key behind one dropped
                track(lane, now);
            }
            if (dropped > 0) {
                LOG.infof("%d claimed deliveries passed to another instance; they are dropped here unsent", dropped);
                changed = true;
            }
        }
    }

    private void beat(Command.Beat beat, Instant now) {
        Instant until = beat.sentAt().plus(settings.ownership());
        if (!beat.alive()) {
            LOG.warn("This instance was taken for dead (no heartbeat for an instance timeout); its claims and "
                    + "buckets went to the others, and what it held is dropped");
            dropEverything();
        }
        if (until.isAfter(ownershipUntil)) {
            boolean regained = !now.isBefore(ownershipUntil);
            ownershipUntil = until;
            changed = true;
            if (regained) {
                lanes.values().stream().filter(Lane::hasWaiting).forEach(ready::add);
            }
        }
    }

    /**
     * Its buckets are gone, and so are its claims that the reaper gave back: what waits here is given back too. A
     * write about a claim that the reaper gave back is refused, so these releases change only the rows the reaper
     * could not see (a fresh row whose transaction committed after it looked), which nothing else would give back.
     */
    private void dropEverything() {
        Instant now = clock.instant();
        for (Lane lane : lanes.values()) {
            for (DeliveryJob job : lane.drain()) {
                held--;
                heldBytes -= job.payload().length;
                releases.add(new Release(job, now));
                unwritten.put(job.deliveryId(), job);
                notify.add(job.endpointId());
            }
            lane.nextDue = null;
            track(lane, now);
        }
        stranded.clear();
        due.clear();
        ready.clear();
        owned.clear();
        leaving.clear();
        freeing.clear();
        changed = true;
    }

    private void gained(Set<Integer> buckets) {
        for (Integer bucket : buckets) {
            if (owned.add(bucket)) {
                bucketsToProbe.add(bucket);
            }
            leaving.remove(bucket);
        }
        changed = true;
    }

    /** Gives back the buckets beyond {@code share}, those holding least first; freed once nothing of them is held. */
    private void share(int share, Instant now) {
        int excess = owned.size() - leaving.size() - share;
        if (excess <= 0) {
            return;
        }
        Map<Integer, Integer> load = new HashMap<>();
        owned.stream().filter(b -> !leaving.contains(b)).forEach(b -> load.put(b, 0));
        lanes.values().forEach(lane -> load.computeIfPresent(lane.bucket, (b, n) -> n + lane.held()));
        load.entrySet().stream().sorted(Map.Entry.comparingByValue()).limit(excess)
                .forEach(e -> leaving.add(e.getKey()));
        for (Lane lane : lanes.values()) {
            if (leaving.contains(lane.bucket)) {
                for (DeliveryJob job : lane.drain()) {
                    held--;
                    heldBytes -= job.payload().length;
                    releases.add(new Release(job, now));
                    unwritten.put(job.deliveryId(), job);
                }
                lane.nextDue = null;
                due.remove(lane);
                ready.remove(lane);
                track(lane, now);
            }
        }
        changed = true;
        freeLeftBuckets();
    }

    /** Buckets being given back whose attempts have ended and whose writes are done are freed. */
    private void freeLeftBuckets() {
        if (leaving.isEmpty()) {
            return;
        }
        Set<Integer> busy = new HashSet<>();
        lanes.values().stream().filter(lane -> lane.held() > 0 || lane.claiming).forEach(lane -> busy.add(lane.bucket));
        unwritten.values().forEach(job -> busy.add(job.bucket()));
        Set<Integer> free = new HashSet<>();
        for (Integer bucket : leaving) {
            if (!busy.contains(bucket) && !freeing.contains(bucket)) {
                free.add(bucket);
            }
        }
        if (!free.isEmpty()) {
            freeing.addAll(free);
            lanes.values().removeIf(lane -> free.contains(lane.bucket) && lane.held() == 0 && !lane.claiming
                    && !notable.contains(lane));
            effects.free(free);
            changed = true;
        }
    }

    private void endpointChanged(String endpointId, Instant now) {
        if (endpointsChanged.size() > 10_000) {
            endpointsChanged.values().removeIf(at -> at.isBefore(now.minus(CHANGES_KEPT)));
        }
        endpointsChanged.put(endpointId, now);
        Lane lane = lanes.get(endpointId);
        if (lane != null) {
            giveBackHeld(lane, now);
        }
    }

    /** When the endpoint last changed, as far as this engine knows (a minute back at most, or the last resync). */
    private Instant lastChange(String endpointId) {
        Instant changedAt = endpointsChanged.get(endpointId);
        return changedAt != null && changedAt.isAfter(resyncedAt) ? changedAt : resyncedAt;
    }

    /** What the lane holds goes back to the queue, and what a claim in flight for it brings (read before now). */
    private void giveBackHeld(Lane lane, Instant now) {
        String endpointId = lane.endpointId;
        lane.stale = lane.claiming; // a claim in flight read the endpoint's row before the change, perhaps
        giveBack(lane.drain(), lane, now);
        ready.remove(lane);
        track(lane, now);
        if (sends(lane.bucket, now)) {
            toProbe.add(endpointId);
        }
        changed = true;
    }

    private void stop(Instant now) {
        stopping = true;
        for (Lane lane : lanes.values()) {
            for (DeliveryJob job : lane.drain()) {
                held--;
                heldBytes -= job.payload().length;
                releases.add(new Release(job, now));
                unwritten.put(job.deliveryId(), job);
            }
            track(lane, now);
        }
        ready.clear();
        due.clear();
        changed = true;
    }

    /** Whether a clean shutdown may leave: nothing in flight, nothing left to write. */
    boolean idle() {
        return running == 0 && writing == null && outcomes.isEmpty() && releases.isEmpty() && breakers.isEmpty();
    }

    // ---- after every command ----

    private void advance(Instant now) {
        fireTimers(now);
        start(now);
        write(now);
        claim(now);
        probe(now);
        renew(now);
        if (!leaving.isEmpty() && writing == null) {
            freeLeftBuckets();
        }
        sweepIdle(now);
    }

    /** Publishes the view if it changed, at most every {@link #PUBLISH_EVERY} (the shell calls it after each batch). */
    void publishIfDue() {
        Instant now = clock.instant();
        if (changed && !now.isBefore(publishedAt.plus(PUBLISH_EVERY))) {
            publishedAt = now;
            publish(now);
        }
    }

    private void fireTimers(Instant now) {
        while (!timers.isEmpty() && !timers.peek().at.isAfter(now)) {
            Timer timer = timers.poll();
            Lane lane = timer.lane;
            if (lanes.get(lane.endpointId) != lane) {
                continue; // retired meanwhile
            }
            if (timer.kind == Timer.Kind.DUE) {
                if (lane.ordered() && (lane.nextDue == null || lane.nextDue.isAfter(timer.at))) {
                    // a retry of an ordered lane is due now, though a claim since took every row due then and forgot
                    // when the next is: an ordered lane asks no probe after a claim (others do, and learn it so)
                    lane.nextDue = timer.at;
                }
                if (lane.nextDue != null && !lane.nextDue.isAfter(now)) {
                    due.add(lane);
                }
            } else {
                if (lane.hasWaiting()) {
                    ready.add(lane);
                }
                if (lane.nextDue != null && !lane.nextDue.isAfter(now)) {
                    due.add(lane);
                }
                track(lane, now);
                changed = true; // the hold on its fresh deliveries ends
            }
        }
    }

    private void sweepIdle(Instant now) {
        if (now.isBefore(sweptAt.plus(Duration.ofMinutes(1)))) {
            return;
        }
        sweptAt = now;
        Instant cutoff = now.minus(IDLE);
        lanes.values().removeIf(lane -> lane.idleSince(cutoff, now) && !ready.contains(lane) && !due.contains(lane)
                && !notable.contains(lane));
    }

    private void publish(Instant now) {
        changed = false;
        Map<String, Instant> holds = new HashMap<>();
        boolean congested = false;
        for (Lane lane : notable) {
            Instant open = lane.breaker.openUntil();
            if (open.isAfter(now)) {
                holds.put(lane.endpointId, open);
            } else if (lane.full(now)) {
                holds.put(lane.endpointId, now);
            }
            congested |= lane.congested(now);
        }
        Map<String, Integer> rateHeld = new HashMap<>();
        rateLimited.removeIf(lane -> !lane.rateLimited() || lanes.get(lane.endpointId) != lane);
        for (Lane lane : rateLimited) {
            if (lane.waiting() > 0) {
                rateHeld.put(lane.endpointId, lane.waiting());
            }
        }
        Set<Integer> sending = new HashSet<>(owned);
        sending.removeAll(leaving);
        boolean room = !stopping && held < settings.maxHeld() && heldBytes < settings.maxHeldBytes() && !congested;
        published = new View(Set.copyOf(sending), !stopping && now.isBefore(ownershipUntil), Map.copyOf(holds), room,
                held, heldBytes, unrecordedOutcomes(), lanes.size(), oldestFresh(now, false),
                Map.copyOf(rateHeld));
        effects.publish(published);
    }

    /**
     * The creation time of the oldest fresh delivery held (no lease, none written since): were this instance to die,
     * the reaper must look this far back. A walk over everything held, so done once a second at most (unless
     * {@code force}d); an older value only makes the reaper look a little further back.
     */
    private Instant oldestFresh(Instant now, boolean force) {
        if (!force && oldestFresh != null && now.isBefore(oldestFreshAt.plusSeconds(1))) {
            return oldestFresh;
        }
        Instant[] oldest = {now};
        java.util.function.Consumer<DeliveryJob> oldestOf = job -> {
            if (!job.leased() && !job.createdAt().isBefore(leasedUpTo) && job.createdAt().isBefore(oldest[0])) {
                oldest[0] = job.createdAt();
            }
        };
        lanes.values().forEach(lane -> lane.forEachHeld(oldestOf));
        unwritten.values().forEach(oldestOf);
        oldestFresh = oldest[0];
        oldestFreshAt = now;
        return oldestFresh;
    }

    View view() {
        return published;
    }

    /** Publishes the view now, whatever the time since the last (the shell at start, the tests). */
    View snapshot() {
        publishedAt = clock.instant();
        oldestFresh(publishedAt, true);
        publish(publishedAt);
        return published;
    }

    /** A moment at which something becomes possible for a lane: its queued rows are due, or its breaker reopens. */
    private record Timer(Instant at, Lane lane, Kind kind) implements Comparable<Timer> {
        enum Kind {
            DUE, REOPEN
        }

        @Override
        public int compareTo(Timer other) {
            return at.compareTo(other.at);
        }
    }

    /** Outcomes written per second, over the last second, in tenths. */
    static final class RateWindow {
        private final long[] counts = new long[10];
        private final long[] slots = new long[10];

        void add(Instant now, int n) {
            long slot = now.toEpochMilli() / 100;
            int i = (int) (slot % 10);
            if (slots[i] != slot) {
                slots[i] = slot;
                counts[i] = 0;
            }
            counts[i] += n;
        }

        long lastSecond(Instant now) {
            long slot = now.toEpochMilli() / 100;
            long sum = 0;
            for (int i = 0; i < 10; i++) {
                if (slot - slots[i] < 10) {
                    sum += counts[i];
                }
            }
            return sum;
        }
    }
}

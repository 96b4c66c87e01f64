//! The live machinery of sessions: one `Room` per active session in this instance,
//! a batching vote writer, a recompute loop per room, and — on PostgreSQL — a
//! `LISTEN/NOTIFY` bridge so several instances share one live session.
//!
//! The hot path (a vote) touches no engine: it checks the cached session state, hands
//! the vote to the writer, waits for its commit, and records it in memory. The engine
//! runs in each room's background loop at most once a second, on a blocking thread,
//! so computing never blocks voting.

use koers_consensus::{
    Analysis, Engine, EngineConfig, Statement as EngineStatement, Vote, VoteEvent,
};
use koers_core::anonymity::AnonymityRule;
use koers_core::sessie::{
    shortlist, Divide, Phase, SessieError, ShortlistCandidates, Tallies, VoteChoice,
};
use koers_core::{LiveSessionId, OrganisationId, ParticipantId, StatementId};
use koers_store::{
    CatchUpMark, LiveSession, SessionScope, SessionStatement, StatementStatus, Store, StoreError,
    VoteRecord,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, oneshot};

/// What a room tells the browsers that follow it.
#[derive(Clone, Debug)]
pub enum LiveEvent {
    /// The phases or the session changed: participants' screens reload.
    Phase,
    /// Statements were added or moderated.
    Statements,
    /// A new analysis is ready for the projector.
    Snapshot(Arc<Snapshot>),
    /// Cheap running totals, sent up to four times a second so the room sees its
    /// votes land well within a second, between the (slower) engine runs.
    Counts { votes: usize, participants: usize },
    /// The room screen's settings changed (the view, hidden results, the
    /// countdown): the room screen redraws, phones show the countdown.
    Screen(Option<koers_core::sessie::room::Countdown>),
    /// Dots or agreed next steps changed: the room screen redraws.
    Results,
}

/// One recomputed picture of the session. Everything per perspective or per
/// opinion group in here has passed the anonymity rule already, except the
/// engine's own `analysis`, whose groups the pages filter (the shortlist and
/// the exports need the whole of it).
#[derive(Debug)]
pub struct Snapshot {
    pub version: u64,
    pub analysis: Option<Analysis>,
    /// Everyone who joined, whatever their perspective.
    pub participants: usize,
    /// Participants per perspective, in the session's perspective order; only
    /// perspectives with enough participants to show under the anonymity rule.
    pub participation: Vec<(String, usize)>,
    pub votes: usize,
    /// Statements on which opinion groups take opposite sides (one mostly
    /// agrees, another mostly disagrees), keyed by the engine's group id.
    /// Accepted statements only, and only opinion groups large enough to show,
    /// each with enough votes on the statement.
    pub divisive: Vec<Divide<u32>>,
    /// Per perspective, accepted statements ranked by agreement: (statement,
    /// agree share, votes), only where enough votes are behind the share.
    pub by_perspective: BTreeMap<String, Vec<(StatementId, f64, usize)>>,
    /// The statements offered for dot-voting, by the core's rule, worked out with
    /// the analysis (off the request path: it reads every vote).
    pub shortlist: Vec<StatementId>,
}

impl Snapshot {
    fn empty() -> Self {
        Self {
            version: 0,
            analysis: None,
            participants: 0,
            participation: vec![],
            votes: 0,
            divisive: vec![],
            by_perspective: BTreeMap::new(),
            shortlist: vec![],
        }
    }
}

/// Cached per-session state the request path reads without the database.
pub struct RoomState {
    pub session: LiveSession,
    pub statements: Vec<SessionStatement>,
    /// participant → perspective
    pub participants: HashMap<ParticipantId, String>,
    tokens: HashMap<String, ParticipantId>,
    /// participant → statement → (vote, sequence); the sequence orders updates.
    pub votes: HashMap<ParticipantId, HashMap<StatementId, (VoteChoice, i64)>>,
    /// The current votes counted per statement, kept up to date with `votes`
    /// one vote at a time, so that a console page does not count them all.
    tally: Tallies,
    pub priorities: BTreeMap<StatementId, f64>,
    /// When this instance saw *inbreng* stop being open (the session's
    /// `updated_at` of that change), for the grace window of a statement still
    /// being typed (`koers_core::sessie::participant::accepts_statement`).
    /// Unknown after a restart: then there is no grace.
    pub inbreng_closed_at: Option<i64>,
}

impl RoomState {
    /// Sets a participant's vote on a statement, keeping the tally in step.
    fn record_vote(&mut self, p: ParticipantId, st: StatementId, choice: VoteChoice, seq: i64) {
        let before = self.votes.entry(p).or_default().insert(st, (choice, seq));
        self.tally.change(st, before.map(|(c, _)| c), choice);
    }

    /// Every current vote, counted per statement (all statuses: callers pick).
    pub fn tally(&self) -> &Tallies {
        &self.tally
    }

    pub fn accepted(&self) -> impl Iterator<Item = &SessionStatement> {
        self.statements
            .iter()
            .filter(|s| s.status == StatementStatus::Accepted)
    }

    /// The next statement for a participant: the unvoted accepted statement with
    /// the highest routing priority (new statements, without a priority yet, first;
    /// ties by id so the choice is deterministic).
    pub fn next_statement(&self, participant: ParticipantId) -> Option<&SessionStatement> {
        let voted = self.votes.get(&participant);
        self.accepted()
            .filter(|s| voted.is_none_or(|v| !v.contains_key(&s.id)))
            .max_by(|a, b| {
                let pa = self.priorities.get(&a.id).copied().unwrap_or(f64::INFINITY);
                let pb = self.priorities.get(&b.id).copied().unwrap_or(f64::INFINITY);
                pa.total_cmp(&pb).then(b.id.cmp(&a.id))
            })
    }

    pub fn vote_of(
        &self,
        participant: ParticipantId,
        statement: StatementId,
    ) -> Option<VoteChoice> {
        self.votes
            .get(&participant)
            .and_then(|v| v.get(&statement))
            .map(|(c, _)| *c)
    }

    pub fn votes_cast(&self, participant: ParticipantId) -> usize {
        self.votes.get(&participant).map_or(0, HashMap::len)
    }

    pub fn total_votes(&self) -> usize {
        self.votes.values().map(HashMap::len).sum()
    }

    /// The dot-voting ballot: as fixed when prioriteren first opened, or else
    /// the analysis' shortlist (`computed`) with the facilitator's edits
    /// ([`koers_core::sessie::ballot`]). Accepted statements only, so one
    /// merged or taken out since is not offered.
    pub fn ballot(&self, computed: &[StatementId]) -> Vec<StatementId> {
        let accepted: BTreeSet<StatementId> = self.accepted().map(|s| s.id).collect();
        if self.session.ballot_frozen_at.is_some() {
            let mut fixed: Vec<(i64, StatementId)> = self
                .accepted()
                .filter_map(|s| s.ballot_position.map(|p| (p, s.id)))
                .collect();
            fixed.sort_unstable();
            return fixed.into_iter().map(|(_, id)| id).collect();
        }
        let edits = self
            .statements
            .iter()
            .filter_map(|s| s.ballot_edit.map(|e| (s.id, e)))
            .collect();
        koers_core::sessie::ballot(computed, &edits, &accepted)
    }

    /// Forgets the votes on statements just merged away: they stay stored as
    /// the duplicate's, but count nowhere (the survivor holds what carried over).
    fn forget_votes_on(&mut self, merged: &BTreeSet<StatementId>) {
        if merged.is_empty() {
            return;
        }
        for votes in self.votes.values_mut() {
            votes.retain(|st, _| !merged.contains(st));
        }
        for id in merged {
            self.tally.forget(*id);
        }
    }
}

/// What the background analysis owns: the engine, and its own copy of the current
/// votes for the tallies, so that computing never holds the room's lock.
struct EngineSide {
    engine: Engine,
    votes: HashMap<(u64, u64), Vote>,
}

pub struct Room {
    pub id: LiveSessionId,
    pub scope: SessionScope,
    pub organisation_id: OrganisationId,
    /// The anonymity rule the snapshots are made under.
    anonymity: AnonymityRule,
    pub state: Mutex<RoomState>,
    events: broadcast::Sender<LiveEvent>,
    snapshot: RwLock<Arc<Snapshot>>,
    /// Votes committed but not yet seen by the engine.
    pending: Mutex<Vec<VoteEvent>>,
    engine: Arc<tokio::sync::Mutex<EngineSide>>,
    dirty: AtomicBool,
    counts_dirty: AtomicBool,
    /// Another instance wrote votes or participants: catch up on the next tick.
    needs_pull: AtomicBool,
    /// How far this room has caught up on other instances' writes (PostgreSQL):
    /// the snapshot it last read under. Only the room's own loop catches up, so
    /// this lock is never contended; it is a lock only to be shareable.
    caught_up: Mutex<Option<CatchUpMark>>,
    version: AtomicU64,
    /// When a request last asked for this room, in milliseconds since the hub
    /// started: a room nobody asks for is evicted (see [`LiveHub::room`]).
    /// Dots per statement as last read, and when: the closing phase shows the
    /// top priorities on every phone, and the sum is read at most once a second.
    dot_totals: Mutex<Option<(tokio::time::Instant, DotTotals)>>,
    last_used: AtomicU64,
    /// The room screen's settings (see `crate::room`), read with the room and
    /// again whenever they change, so no page of the session reads them itself.
    screen: RwLock<koers_store::RoomScreen>,
}

impl Room {
    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.events.subscribe()
    }

    pub fn screen(&self) -> koers_store::RoomScreen {
        self.screen.read().map(|s| s.clone()).unwrap_or_default()
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .map(|s| s.clone())
            .unwrap_or_else(|_| Arc::new(Snapshot::empty()))
    }

    /// A panic while the room's state was locked leaves the lock poisoned: the
    /// cache may be half updated, so nothing reads it again. The hub drops such a
    /// room and the next request loads a fresh one from the database, which holds
    /// everything that was acknowledged.
    pub fn is_broken(&self) -> bool {
        self.state.is_poisoned()
    }

    /// Poisons the room's lock the way a panicking request would, so tests can
    /// check that the room recovers.
    #[doc(hidden)]
    pub fn poison_for_test(&self) {
        std::thread::scope(|scope| {
            let _ = scope
                .spawn(|| {
                    let _held = self.state.lock();
                    panic!("poisoning a room for a test");
                })
                .join();
        });
    }

    pub fn with_state<T>(&self, f: impl FnOnce(&RoomState) -> T) -> Option<T> {
        self.state.lock().ok().map(|s| f(&s))
    }

    fn with_state_mut<T>(&self, f: impl FnOnce(&mut RoomState) -> T) -> Option<T> {
        self.state.lock().ok().map(|mut s| f(&mut s))
    }

    /// Whether this room catches up on other instances (PostgreSQL).
    fn caught_up_on_postgres(&self) -> bool {
        self.caught_up.lock().is_ok_and(|m| m.is_some())
    }

    /// Something changed that the counts and the next analysis must reflect.
    fn touch(&self) {
        self.counts_dirty.store(true, Ordering::Relaxed);
        self.dirty.store(true, Ordering::Relaxed);
    }

    fn send(&self, event: LiveEvent) {
        // No receivers is fine: nobody is watching.
        let _ = self.events.send(event);
    }
}

struct VoteJob {
    record: VoteRecord,
    done: oneshot::Sender<Result<bool, VoteError>>,
}

#[derive(Debug, thiserror::Error)]
pub enum VoteError {
    #[error("phase not open")]
    PhaseNotOpen,
    #[error("unknown statement")]
    UnknownStatement,
    #[error("read-only session")]
    ReadOnly,
    /// The vote queue is full: the vote was not taken; the participant's page
    /// sends it again by itself.
    #[error("busy")]
    Busy,
    /// The disk is full: the vote was not stored.
    #[error("storage full")]
    StorageFull,
    #[error("storage: {0}")]
    Store(String),
}

impl VoteError {
    /// How a failed batch write is told to each of its votes: a database that
    /// is locked or out of connections is load, answered like a full queue (the
    /// page sends the vote again); a full disk is said as such.
    fn from_write(e: &StoreError) -> Self {
        match e {
            StoreError::Busy(_) | StoreError::Unreachable(_) => Self::Busy,
            StoreError::DiskFull(_) => Self::StorageFull,
            other => Self::Store(other.to_string()),
        }
    }
}

/// Dots per statement, summed.
type DotTotals = Arc<Vec<(StatementId, i64)>>;

/// All live rooms of this instance.
pub struct LiveHub {
    store: Store,
    anonymity: AnonymityRule,
    rooms: Mutex<HashMap<LiveSessionId, Arc<Room>>>,
    /// Join code → session, for the rooms in memory, so that a participant's
    /// request finds its room without looking at every room. An entry is only a
    /// hint: the room's own code is checked (a code can change).
    codes: Mutex<HashMap<String, LiveSessionId>>,
    /// One lock per session being loaded, so that a crowd of first requests
    /// (after a restart, or after the room was evicted) waits for one load
    /// instead of each reading every vote of the session.
    loading: Mutex<HashMap<LiveSessionId, Arc<tokio::sync::Mutex<()>>>>,
    /// How many rooms were loaded from the database, for the tests.
    loads: AtomicU64,
    /// A room nobody asked for in this long, with nobody following its events,
    /// is evicted: its memory and its timer are freed.
    idle_after_ms: AtomicU64,
    started: tokio::time::Instant,
    writer: mpsc::Sender<VoteJob>,
    instance: String,
    sequence: AtomicI64,
}

const CHANNEL: &str = "koers_live";

/// Votes that may wait for the writer unless config says otherwise
/// (`server.vote_queue`). The writer commits about 4,000 votes a second on these
/// two cores, so a full queue is about an eighth of a second of work: a vote that
/// finds it full is answered "busy" (503) at once instead of waiting. A longer
/// queue does not take more votes past capacity, it only makes every accepted
/// vote wait longer (4,096 gave 1.4 s at the median at 10,000 participants).
pub const VOTE_QUEUE: usize = 512;

/// How often a room catches up on other instances without being told to.
const SAFETY_PULL: Duration = Duration::from_secs(5);

/// How long a room stays in memory with no request and no event stream. Every
/// session ever opened, read-only archives included, would otherwise keep all
/// its votes and a timer for good; reloading one from the database is cheap.
pub const IDLE_EVICTION: Duration = Duration::from_secs(10 * 60);

impl LiveHub {
    /// Starts the hub: the vote writer, and on PostgreSQL the notification listener.
    /// Every room's figures per perspective and opinion group follow `anonymity`.
    pub fn start(store: Store, anonymity: AnonymityRule) -> Arc<Self> {
        Self::start_with_queue(store, anonymity, VOTE_QUEUE)
    }

    /// As [`LiveHub::start`], with room for `queue` votes waiting for the writer
    /// (the tests fill a small one).
    pub fn start_with_queue(store: Store, anonymity: AnonymityRule, queue: usize) -> Arc<Self> {
        let (tx, rx) = mpsc::channel(queue.max(1));
        let hub = Arc::new(Self {
            store: store.clone(),
            anonymity,
            rooms: Mutex::new(HashMap::new()),
            codes: Mutex::new(HashMap::new()),
            loading: Mutex::new(HashMap::new()),
            loads: AtomicU64::new(0),
            idle_after_ms: AtomicU64::new(IDLE_EVICTION.as_millis() as u64),
            started: tokio::time::Instant::now(),
            writer: tx,
            instance: koers_web::auth::new_token()[..10].to_owned(),
            sequence: AtomicI64::new(0),
        });
        // SQLite has one writer at a time anyway; PostgreSQL commits several
        // transactions at once, so a few writers overlap their commits' waits.
        // Order per participant still holds: a participant's next vote is only
        // sent after this one is acknowledged.
        let writers = match store.backend() {
            koers_store::Backend::Sqlite(_) => 1,
            koers_store::Backend::Postgres(_) => 3,
        };
        let rx = Arc::new(tokio::sync::Mutex::new(rx));
        for _ in 0..writers {
            tokio::spawn(write_votes(Arc::downgrade(&hub), store.clone(), rx.clone()));
        }
        if let koers_store::Backend::Postgres(pool) = store.backend() {
            tokio::spawn(listen(Arc::downgrade(&hub), pool.clone()));
        }
        hub
    }

    /// Sequence numbers order a room's votes; they are taken after a vote's
    /// commit, and the catch-up compares them with one taken before its read,
    /// hence the strict ordering.
    fn next_seq(&self) -> i64 {
        self.sequence.fetch_add(1, Ordering::SeqCst)
    }

    /// Sets how long a room may stay idle before it is evicted (tests use a
    /// short time rather than wait ten minutes).
    #[doc(hidden)]
    pub fn set_idle_after(&self, idle: Duration) {
        self.idle_after_ms
            .store(idle.as_millis() as u64, Ordering::Relaxed);
    }

    /// How many rooms this hub has loaded from the database.
    #[doc(hidden)]
    pub fn loads(&self) -> u64 {
        self.loads.load(Ordering::Relaxed)
    }

    /// Whether the session's room is in memory now.
    #[doc(hidden)]
    pub fn is_loaded(&self, id: LiveSessionId) -> bool {
        self.rooms.lock().is_ok_and(|r| r.contains_key(&id))
    }

    fn now_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    /// The cached room, marked as used; none when it must be (re)loaded.
    fn cached(&self, scope: SessionScope) -> Result<Option<Arc<Room>>, StoreError> {
        let id = scope.session();
        let Some(room) = self.rooms.lock().ok().and_then(|r| r.get(&id).cloned()) else {
            return Ok(None);
        };
        // Ids are unique across organisations; a scope is only ever made
        // from the session's own row, so this holds, but never trust a cache
        // across tenants.
        if room.scope != scope {
            return Err(StoreError::NotFound);
        }
        if room.is_broken() {
            self.drop_broken(&room);
            return Ok(None);
        }
        room.last_used.store(self.now_ms(), Ordering::Relaxed);
        Ok(Some(room))
    }

    /// The room of a session, loaded from the database on first use. Concurrent
    /// first requests share one load.
    pub async fn room(self: &Arc<Self>, scope: SessionScope) -> Result<Arc<Room>, StoreError> {
        if let Some(room) = self.cached(scope)? {
            return Ok(room);
        }
        let id = scope.session();
        let gate = {
            let Ok(mut loading) = self.loading.lock() else {
                return Err(StoreError::InvalidData("room registry poisoned".into()));
            };
            loading.entry(id).or_default().clone()
        };
        let _turn = gate.lock().await;
        // Whoever held the gate before us may have loaded it.
        let result = match self.cached(scope)? {
            Some(room) => Ok(room),
            None => self.load(scope).await,
        };
        if let Ok(mut loading) = self.loading.lock() {
            if loading.get(&id).is_some_and(|g| Arc::ptr_eq(g, &gate)) {
                loading.remove(&id);
            }
        }
        result
    }

    async fn load(self: &Arc<Self>, scope: SessionScope) -> Result<Arc<Room>, StoreError> {
        let id = scope.session();
        self.loads.fetch_add(1, Ordering::Relaxed);
        // The mark comes before the rows, so that whatever the load misses was
        // committed after it, and the first catch-up brings it in.
        let caught_up = self.store.sessie().catch_up_mark().await?;
        let session = self.store.sessie().reload(scope).await?;
        let statements = self.store.sessie().statements(scope).await?;
        let participants = self.store.sessie().participants(scope).await?;
        let votes = self.store.sessie().votes(scope).await?;
        let screen = self.store.sessie().room_screen(scope).await?;
        let mut engine = Engine::new(EngineConfig::default())
            .map_err(|e| StoreError::InvalidData(e.to_string()))?;
        engine.set_statements(&engine_statements(&statements));
        let perspectives = participants
            .iter()
            .map(|p| (p.id as u64, p.perspective.clone()))
            .collect();
        engine.set_perspectives(perspectives);
        let mut vote_map: HashMap<ParticipantId, HashMap<StatementId, (VoteChoice, i64)>> =
            HashMap::new();
        let mut events = Vec::with_capacity(votes.len());
        // One stored row per participant and statement: each is a first vote.
        let mut tally = Tallies::default();
        // A merged duplicate's own votes stay stored but count nowhere.
        let merged: BTreeSet<i64> = statements
            .iter()
            .filter(|s| s.status == StatementStatus::Merged)
            .map(|s| s.id.0)
            .collect();
        for v in &votes {
            let Some(choice) = VoteChoice::from_value(v.vote) else {
                continue;
            };
            if merged.contains(&v.statement_id) {
                continue;
            }
            let seq = self.next_seq();
            vote_map
                .entry(ParticipantId(v.participant_id))
                .or_default()
                .insert(StatementId(v.statement_id), (choice, seq));
            tally.change(StatementId(v.statement_id), None, choice);
            events.push(engine_vote(
                ParticipantId(v.participant_id),
                StatementId(v.statement_id),
                choice,
                seq,
            ));
        }
        let state = RoomState {
            participants: participants
                .iter()
                .map(|p| (ParticipantId(p.id), p.perspective.clone()))
                .collect(),
            tokens: HashMap::new(),
            votes: vote_map,
            tally,
            priorities: BTreeMap::new(),
            statements,
            session,
            inbreng_closed_at: None,
        };
        let (events_tx, _) = broadcast::channel(256);
        let created = Arc::new(Room {
            id,
            scope,
            organisation_id: state.session.organisation_id,
            anonymity: self.anonymity,
            state: Mutex::new(state),
            events: events_tx,
            snapshot: RwLock::new(Arc::new(Snapshot::empty())),
            pending: Mutex::new(events),
            engine: Arc::new(tokio::sync::Mutex::new(EngineSide {
                engine,
                votes: HashMap::new(),
            })),
            dirty: AtomicBool::new(true),
            counts_dirty: AtomicBool::new(false),
            // Rows committed between the mark and the load are caught up on at once.
            needs_pull: AtomicBool::new(caught_up.is_some()),
            caught_up: Mutex::new(caught_up),
            version: AtomicU64::new(0),
            dot_totals: Mutex::new(None),
            last_used: AtomicU64::new(self.now_ms()),
            screen: RwLock::new(screen),
        });
        let room = {
            let Ok(mut rooms) = self.rooms.lock() else {
                return Err(StoreError::InvalidData("room registry poisoned".into()));
            };
            // Another request may have loaded it meanwhile; keep the first,
            // unless that one broke since.
            let entry = rooms.entry(id).or_insert_with(|| created.clone());
            if entry.is_broken() {
                *entry = created.clone();
            }
            entry.clone()
        };
        if Arc::ptr_eq(&room, &created) {
            tokio::spawn(recompute_loop(Arc::downgrade(self), Arc::downgrade(&room)));
            // The first analysis right away, so a projector opened now is not empty.
            recompute(&room).await;
        }
        Ok(room)
    }

    pub async fn room_by_code(
        self: &Arc<Self>,
        code: &str,
    ) -> Result<Option<Arc<Room>>, StoreError> {
        let hinted = self.codes.lock().ok().and_then(|c| c.get(code).copied());
        let cached = hinted.and_then(|id| {
            self.rooms
                .lock()
                .ok()
                .and_then(|rooms| rooms.get(&id).cloned())
                .filter(|r| {
                    r.with_state(|s| s.session.join_code == code)
                        .unwrap_or(false)
                })
        });
        if let Some(room) = cached {
            room.last_used.store(self.now_ms(), Ordering::Relaxed);
            return Ok(Some(room));
        }
        match self.store.sessie().live_session_by_code(code).await? {
            Some(s) => {
                let room = self.room(s.scope).await?;
                if let Ok(mut codes) = self.codes.lock() {
                    codes.insert(code.to_owned(), room.id);
                }
                Ok(Some(room))
            }
            None => Ok(None),
        }
    }

    /// The participant behind a token in this room: memory first, then the database
    /// (they may have joined through another instance).
    pub async fn participant(
        &self,
        room: &Room,
        token_hash: &str,
    ) -> Result<Option<ParticipantId>, StoreError> {
        if let Some(p) = room
            .with_state(|s| s.tokens.get(token_hash).copied())
            .flatten()
        {
            return Ok(Some(p));
        }
        let Some(row) = self
            .store
            .sessie()
            .participant_by_token(room.scope, token_hash)
            .await?
        else {
            return Ok(None);
        };
        let id = ParticipantId(row.id);
        room.with_state_mut(|s| {
            s.tokens.insert(token_hash.to_owned(), id);
            s.participants.insert(id, row.perspective.clone());
        });
        Ok(Some(id))
    }

    pub async fn join(
        &self,
        room: &Room,
        token_hash: &str,
        perspective: &str,
        name: &str,
        now: i64,
    ) -> Result<ParticipantId, StoreError> {
        let session = room
            .with_state(|s| s.session.clone())
            .ok_or_else(|| StoreError::InvalidData("room".into()))?;
        let id = self
            .store
            .sessie()
            .join_session(&session, token_hash, perspective, name, now)
            .await?;
        room.with_state_mut(|s| {
            s.tokens.insert(token_hash.to_owned(), id);
            s.participants.insert(id, perspective.to_owned());
        });
        room.touch();
        self.notify(room.id, "participants").await;
        Ok(id)
    }

    /// Records a vote: checked against the cached session, written by the batching
    /// writer, acknowledged only after it is committed.
    pub async fn vote(
        &self,
        room: &Room,
        participant: ParticipantId,
        statement: StatementId,
        choice: VoteChoice,
        now: i64,
    ) -> Result<(), VoteError> {
        let check = room
            .with_state(|s| {
                match s
                    .session
                    .phases
                    .accepts_input(Phase::Stemmen, s.session.read_only)
                {
                    Ok(()) => {}
                    Err(SessieError::ReadOnly) => return Err(VoteError::ReadOnly),
                    Err(_) => return Err(VoteError::PhaseNotOpen),
                }
                if !s.accepted().any(|st| st.id == statement) {
                    return Err(VoteError::UnknownStatement);
                }
                Ok(())
            })
            .ok_or(VoteError::Store("room".into()))?;
        check?;
        let (done, wait) = oneshot::channel();
        let record = VoteRecord {
            scope: room.scope,
            participant_id: participant,
            statement_id: statement,
            vote: choice,
            at: now,
        };
        // A full queue means the writer is a second or more behind: waiting in
        // it would only make every vote slower. Turn this one away at once; its
        // page sends the same choice again after a moment.
        self.writer
            .try_send(VoteJob { record, done })
            .map_err(|e| match e {
                mpsc::error::TrySendError::Full(_) => VoteError::Busy,
                mpsc::error::TrySendError::Closed(_) => VoteError::Store("writer stopped".into()),
            })?;
        match wait.await {
            Ok(Ok(true)) => {}
            Ok(Ok(false)) => return Err(VoteError::UnknownStatement),
            Ok(Err(e)) => return Err(e),
            Err(_) => return Err(VoteError::Store("writer dropped the vote".into())),
        }
        let seq = self.next_seq();
        room.with_state_mut(|s| s.record_vote(participant, statement, choice, seq));
        if let Ok(mut p) = room.pending.lock() {
            p.push(engine_vote(participant, statement, choice, seq));
        }
        room.touch();
        Ok(())
    }

    /// Dots per statement in this room, at most a second old.
    pub async fn dot_totals(
        &self,
        room: &Room,
    ) -> Result<Arc<Vec<(StatementId, i64)>>, StoreError> {
        const FRESH: Duration = Duration::from_secs(1);
        if let Some((at, totals)) = room.dot_totals.lock().ok().and_then(|c| c.clone()) {
            if at.elapsed() < FRESH {
                return Ok(totals);
            }
        }
        let totals: DotTotals = Arc::new(
            self.store
                .sessie()
                .dot_totals(room.scope)
                .await?
                .into_iter()
                .map(|(st, n)| (StatementId(st), n))
                .collect(),
        );
        if let Ok(mut c) = room.dot_totals.lock() {
            *c = Some((tokio::time::Instant::now(), totals.clone()));
        }
        Ok(totals)
    }

    /// After a change made through this instance (phases, statements, session):
    /// reload the cached session and statements, tell the browsers, tell the others.
    pub async fn changed(&self, room: &Room, what: &str) -> Result<(), StoreError> {
        self.reload(room).await?;
        self.notify(room.id, what).await;
        Ok(())
    }

    /// After the room screen's settings changed through this instance: read them
    /// again, tell the browsers, tell the other instances.
    pub async fn screen_changed(&self, room: &Room) -> Result<(), StoreError> {
        self.reload_screen(room).await?;
        self.notify(room.id, "screen").await;
        Ok(())
    }

    /// After dots or next steps changed through this instance.
    pub async fn results_changed(&self, room: &Room) {
        Self::results_dirty(room);
        self.notify(room.id, "results").await;
    }

    fn results_dirty(room: &Room) {
        // The next read sums the dots afresh instead of a total from before.
        if let Ok(mut c) = room.dot_totals.lock() {
            *c = None;
        }
        room.send(LiveEvent::Results);
    }

    async fn reload_screen(&self, room: &Room) -> Result<(), StoreError> {
        let screen = self.store.sessie().room_screen(room.scope).await?;
        let countdown = screen.countdown;
        if let Ok(mut s) = room.screen.write() {
            *s = screen;
        }
        room.send(LiveEvent::Screen(countdown));
        Ok(())
    }

    async fn reload(&self, room: &Room) -> Result<(), StoreError> {
        let session = self.store.sessie().reload(room.scope).await?;
        let statements = self.store.sessie().statements(room.scope).await?;
        let engine_st = engine_statements(&statements);
        let phase_changed = room
            .with_state_mut(|s| {
                let changed = s.session.phases != session.phases
                    || s.session.join_open_until != session.join_open_until;
                let was_merged: BTreeSet<StatementId> = s
                    .statements
                    .iter()
                    .filter(|st| st.status == StatementStatus::Merged)
                    .map(|st| st.id)
                    .collect();
                let newly_merged: BTreeSet<StatementId> = statements
                    .iter()
                    .filter(|st| {
                        st.status == StatementStatus::Merged && !was_merged.contains(&st.id)
                    })
                    .map(|st| st.id)
                    .collect();
                s.forget_votes_on(&newly_merged);
                if s.session.phases.is_open(koers_core::sessie::Phase::Inbreng)
                    && !session.phases.is_open(koers_core::sessie::Phase::Inbreng)
                {
                    s.inbreng_closed_at = Some(session.updated_at);
                }
                s.session = session;
                s.statements = statements;
                changed
            })
            .unwrap_or(false);
        room.engine.lock().await.engine.set_statements(&engine_st);
        room.touch();
        room.send(if phase_changed {
            LiveEvent::Phase
        } else {
            LiveEvent::Statements
        });
        Ok(())
    }

    /// After a merge made through this instance: the statements again (the
    /// duplicate's votes drop out), the votes carried over onto the survivor
    /// into the room and the next analysis, and the other instances told (they
    /// reload and catch up on the carried votes, which are new rows to them).
    pub async fn merged(
        &self,
        room: &Room,
        survivor: StatementId,
        carried: &[(ParticipantId, VoteChoice)],
    ) -> Result<(), StoreError> {
        self.reload(room).await?;
        let events: Vec<VoteEvent> = carried
            .iter()
            .map(|(p, choice)| {
                let seq = self.next_seq();
                room.with_state_mut(|s| s.record_vote(*p, survivor, *choice, seq));
                engine_vote(*p, survivor, *choice, seq)
            })
            .collect();
        if let Ok(mut pending) = room.pending.lock() {
            pending.extend(events);
        }
        room.touch();
        self.notify(room.id, "merge").await;
        Ok(())
    }

    async fn notify(&self, id: LiveSessionId, what: &str) {
        if let koers_store::Backend::Postgres(pool) = self.store.backend() {
            let payload = format!("{}:{what}:{}", id.0, self.instance);
            if let Err(e) = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(payload)
                .execute(pool)
                .await
            {
                tracing::warn!("notify failed: {e}");
            }
        }
    }

    /// A notification from another instance.
    async fn on_notification(&self, payload: &str) {
        let mut parts = payload.splitn(3, ':');
        let (Some(id), Some(what), Some(instance)) = (parts.next(), parts.next(), parts.next())
        else {
            return;
        };
        if instance == self.instance {
            return;
        }
        let Ok(id) = id.parse::<i64>() else { return };
        let Some(room) = self
            .rooms
            .lock()
            .ok()
            .and_then(|r| r.get(&LiveSessionId(id)).cloned())
        else {
            return;
        };
        let result = match what {
            "votes" | "participants" => {
                // Coalesced: many notifications a second become one catch-up per tick.
                room.needs_pull.store(true, Ordering::Relaxed);
                Ok(())
            }
            "screen" => self.reload_screen(&room).await,
            "results" => {
                Self::results_dirty(&room);
                Ok(())
            }
            // The carried-over votes are rows new to this instance.
            "merge" => {
                room.needs_pull.store(true, Ordering::Relaxed);
                self.reload(&room).await
            }
            _ => self.reload(&room).await,
        };
        if let Err(e) = result {
            tracing::warn!("live update from another instance failed: {e}");
        }
    }

    /// Brings votes and participants written by other instances into this room:
    /// every row committed since the room's mark, however late its transaction
    /// committed (see `SessieStore::changes_since`). A stored vote is applied
    /// only where it differs from what we hold.
    async fn pull_votes(&self, room: &Room) -> Result<(), StoreError> {
        let Some(mark) = room.caught_up.lock().ok().and_then(|m| m.clone()) else {
            return Ok(());
        };
        // Votes this instance records from here on may have committed after the
        // read below, so what the read says about them may be older than ours.
        let local_from = self.sequence.load(Ordering::SeqCst);
        let changes = self.store.sessie().changes_since(room.scope, &mark).await?;
        let mut fresh = vec![];
        let mut raced = false;
        let joined = !changes.participants.is_empty();
        room.with_state_mut(|s| {
            for p in &changes.participants {
                s.participants
                    .entry(ParticipantId(p.id))
                    .or_insert_with(|| p.perspective.clone());
            }
            for v in &changes.votes {
                let Some(choice) = VoteChoice::from_value(v.vote) else {
                    continue;
                };
                let (pid, sid) = (ParticipantId(v.participant_id), StatementId(v.statement_id));
                match s.votes.get(&pid).and_then(|m| m.get(&sid)) {
                    Some((known, _)) if *known == choice => {}
                    Some((_, seq)) if *seq >= local_from => raced = true,
                    _ => {
                        let seq = self.next_seq();
                        s.record_vote(pid, sid, choice, seq);
                        fresh.push(engine_vote(pid, sid, choice, seq));
                    }
                }
            }
        });
        if !fresh.is_empty() {
            if let Ok(mut p) = room.pending.lock() {
                p.extend(fresh);
            }
        }
        if joined || !changes.votes.is_empty() {
            room.touch();
        }
        if raced {
            // One of our votes and another instance's on the same row crossed
            // this read; which committed last is not known here. Keep the old
            // mark and read the window again next tick, when the database's
            // answer is the last word for both.
            room.needs_pull.store(true, Ordering::Relaxed);
        } else if let Ok(mut m) = room.caught_up.lock() {
            *m = Some(changes.mark);
        }
        Ok(())
    }

    /// Forgets a room whose lock was poisoned, if it is still the one registered:
    /// its loop ends, its event streams close (browsers reconnect, to the new
    /// room), and the next request loads the session afresh from the database.
    fn drop_broken(&self, room: &Arc<Room>) {
        if let Ok(mut rooms) = self.rooms.lock() {
            if rooms.get(&room.id).is_some_and(|r| Arc::ptr_eq(r, room)) {
                rooms.remove(&room.id);
                tracing::error!(
                    session = room.id.0,
                    "a live room broke (a panic while its state was locked); it is reloaded"
                );
            }
        }
    }

    /// Evicts a room that nobody has used for the idle time: no request asked
    /// for it, no browser follows its events, and no request holds it (a vote
    /// waiting for the writer holds it; the registry and the caller's handle
    /// are the only two others). True when it was evicted; its loop then ends.
    /// What it held is in the database, so the next request reloads it whole.
    fn evict_if_idle(&self, room: &Arc<Room>) -> bool {
        let idle = self.idle_after_ms.load(Ordering::Relaxed);
        let used = room.last_used.load(Ordering::Relaxed);
        if self.now_ms().saturating_sub(used) < idle || room.events.receiver_count() > 0 {
            return false;
        }
        let Ok(mut rooms) = self.rooms.lock() else {
            return false;
        };
        // Under the registry's lock nobody can take a new handle, so the count
        // is final: two are the registry's and the caller's.
        if !rooms.get(&room.id).is_some_and(|r| Arc::ptr_eq(r, room)) || Arc::strong_count(room) > 2
        {
            return false;
        }
        rooms.remove(&room.id);
        drop(rooms);
        if let Ok(mut codes) = self.codes.lock() {
            codes.retain(|_, id| *id != room.id);
        }
        tracing::debug!(session = room.id.0, "idle live room evicted");
        true
    }

    /// After the `LISTEN` connection was lost, notifications of the gap are gone:
    /// every room reloads its session and catches up on votes and joins. The
    /// catch-up needs no notification to be complete, only to be prompt.
    async fn resync(&self) {
        let rooms: Vec<Arc<Room>> = self
            .rooms
            .lock()
            .map(|r| r.values().cloned().collect())
            .unwrap_or_default();
        for room in rooms {
            room.needs_pull.store(true, Ordering::Relaxed);
            if let Err(e) = self.reload(&room).await {
                tracing::warn!(
                    session = room.id.0,
                    "reloading after a lost LISTEN failed: {e}"
                );
            }
        }
    }

    /// Recomputes now (used by tests and after loading).
    pub async fn recompute_now(&self, room: &Room) {
        recompute(room).await;
    }
}

fn engine_statements(statements: &[SessionStatement]) -> Vec<EngineStatement> {
    statements
        .iter()
        .map(|s| EngineStatement {
            id: s.id.0 as u64,
            text: s.text.clone(),
            moderated_out: s.status != StatementStatus::Accepted,
            is_meta: false,
        })
        .collect()
}

fn engine_vote(p: ParticipantId, s: StatementId, choice: VoteChoice, seq: i64) -> VoteEvent {
    VoteEvent {
        time: seq,
        voter: p.0 as u64,
        statement: s.0 as u64,
        vote: match choice {
            VoteChoice::Agree => Vote::Agree,
            VoteChoice::Disagree => Vote::Disagree,
            VoteChoice::Pass => Vote::Pass,
        },
    }
}

/// The writer: takes whatever votes are waiting (up to a batch), commits them in one
/// transaction, acknowledges each, and tells other instances once per batch.
async fn write_votes(
    hub: Weak<LiveHub>,
    store: Store,
    rx: Arc<tokio::sync::Mutex<mpsc::Receiver<VoteJob>>>,
) {
    const MAX_BATCH: usize = 2_000;
    let mut batch: Vec<VoteJob> = Vec::with_capacity(MAX_BATCH);
    loop {
        {
            // Take what is waiting, then let another writer take the next batch
            // while this one commits.
            let mut rx = rx.lock().await;
            let Some(first) = rx.recv().await else { return };
            batch.push(first);
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
        }
        let records: Vec<VoteRecord> = batch.iter().map(|j| j.record).collect();
        let result = store.sessie().record_votes(&records).await;
        let mut sessions: Vec<LiveSessionId> = vec![];
        match result {
            Ok(flags) => {
                for (job, ok) in batch.drain(..).zip(flags) {
                    if ok && !sessions.contains(&job.record.scope.session()) {
                        sessions.push(job.record.scope.session());
                    }
                    let _ = job.done.send(Ok(ok));
                }
            }
            Err(e) => {
                tracing::error!("writing {} votes failed: {e}", batch.len());
                for job in batch.drain(..) {
                    let _ = job.done.send(Err(VoteError::from_write(&e)));
                }
            }
        }
        if let Some(hub) = hub.upgrade() {
            for id in sessions {
                hub.notify(id, "votes").await;
            }
        }
    }
}

/// Listens for other instances' changes (PostgreSQL only). Reconnects on failure,
/// and then has every room catch up, since notifications of the gap are lost.
async fn listen(hub: Weak<LiveHub>, pool: sqlx::PgPool) {
    let mut connected_before = false;
    loop {
        let mut listener = match sqlx::postgres::PgListener::connect_with(&pool).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!("LISTEN connection failed: {e}");
                tokio::time::sleep(Duration::from_secs(2)).await;
                continue;
            }
        };
        if let Err(e) = listener.listen(CHANNEL).await {
            tracing::warn!("LISTEN failed: {e}");
            tokio::time::sleep(Duration::from_secs(2)).await;
            continue;
        }
        if connected_before {
            let Some(hub) = hub.upgrade() else { return };
            hub.resync().await;
        }
        connected_before = true;
        loop {
            // `try_recv` rather than `recv`: `recv` reconnects by itself and
            // hides that notifications were lost meanwhile.
            match listener.try_recv().await {
                Ok(Some(n)) => {
                    let Some(hub) = hub.upgrade() else { return };
                    hub.on_notification(n.payload()).await;
                }
                Ok(None) => {
                    tracing::warn!("LISTEN connection lost");
                    break;
                }
                Err(e) => {
                    tracing::warn!("LISTEN connection lost: {e}");
                    break;
                }
            }
        }
        if hub.upgrade().is_none() {
            return;
        }
    }
}

/// Counts go out up to four times a second; the engine runs at most once a second,
/// and only when something changed.
async fn recompute_loop(hub: Weak<LiveHub>, room: Weak<Room>) {
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_engine = tokio::time::Instant::now();
    // The engine may take at most a tenth of the time: a big room runs it less
    // often than once a second rather than starve the voters of CPU.
    let mut spacing = Duration::from_millis(1000);
    let mut last_pull = tokio::time::Instant::now();
    loop {
        tick.tick().await;
        let Some(room) = room.upgrade() else { return };
        if room.is_broken() {
            if let Some(hub) = hub.upgrade() {
                hub.drop_broken(&room);
            }
            return;
        }
        if hub.upgrade().is_some_and(|hub| hub.evict_if_idle(&room)) {
            return;
        }
        // Notifications only make catching up prompt; a lost one (an instance
        // that stopped between its commit and its NOTIFY) costs at most this.
        let due = last_pull.elapsed() >= SAFETY_PULL && room.caught_up_on_postgres();
        if room.needs_pull.swap(false, Ordering::Relaxed) || due {
            last_pull = tokio::time::Instant::now();
            if let Some(hub) = hub.upgrade() {
                if let Err(e) = hub.pull_votes(&room).await {
                    tracing::warn!("catching up with other instances failed: {e}");
                    room.needs_pull.store(true, Ordering::Relaxed);
                }
            }
        }
        if room.counts_dirty.swap(false, Ordering::Relaxed) {
            if let Some((votes, participants)) =
                room.with_state(|s| (s.total_votes(), s.participants.len()))
            {
                room.send(LiveEvent::Counts {
                    votes,
                    participants,
                });
            }
        }
        if last_engine.elapsed() >= spacing && room.dirty.swap(false, Ordering::Relaxed) {
            last_engine = tokio::time::Instant::now();
            recompute(&room).await;
            spacing = Duration::from_millis(1000).max(last_engine.elapsed() * 10);
        }
    }
}

async fn recompute(room: &Room) {
    let pending = room
        .pending
        .lock()
        .map(|mut p| std::mem::take(&mut *p))
        .unwrap_or_default();
    // Only the small things are copied under the room's lock; the votes the tallies
    // need live on the engine's side, fed by the same pending events.
    let Some((participants, perspectives_order, with_perspectives, accepted)) =
        room.with_state(|s| {
            (
                s.participants.clone(),
                s.session.perspectives.clone(),
                crate::import::has_perspectives(&s.session),
                s.accepted()
                    .map(|st| st.id)
                    .collect::<BTreeSet<StatementId>>(),
            )
        })
    else {
        return;
    };
    let rule = room.anonymity;
    let mut side = room.engine.clone().lock_owned().await;
    let started = std::time::Instant::now();
    // The engine is CPU work: run it where it cannot stall the async workers.
    let computed = tokio::task::spawn_blocking(move || {
        let mut events = pending;
        events.sort_unstable();
        for e in &events {
            side.votes.insert((e.voter, e.statement), e.vote);
        }
        side.engine.add_votes(&events);
        let lens: BTreeMap<u64, String> = participants
            .iter()
            .map(|(p, persp)| (p.0 as u64, persp.clone()))
            .collect();
        side.engine.set_perspectives(lens);
        let analysis = side.engine.update().ok();
        let lists = live_lists(
            &side.votes,
            &participants,
            &accepted,
            analysis.as_ref(),
            &rule,
        );
        let shortlist = shortlist_for(analysis.as_ref(), &accepted, &side.votes);
        (analysis, side.votes.len(), lists, participants, shortlist)
    })
    .await;
    let Ok((analysis, votes, (divisive, mut by_perspective), participants, shortlist)) = computed
    else {
        return;
    };
    let took = started.elapsed();
    if took > Duration::from_millis(250) {
        tracing::info!(
            session = room.id.0,
            ms = took.as_millis() as u64,
            "slow analysis"
        );
    }

    let mut participation = participation(&perspectives_order, &participants, &rule);
    // An imported session's stand-in perspective is no perspective at all.
    if !with_perspectives {
        participation.clear();
        by_perspective.clear();
    }
    if let Some(a) = &analysis {
        let prio: BTreeMap<StatementId, f64> = a
            .priorities
            .iter()
            .map(|(k, v)| (StatementId(*k as i64), *v))
            .collect();
        room.with_state_mut(|s| s.priorities = prio);
    }
    let version = room.version.fetch_add(1, Ordering::Relaxed) + 1;
    let snapshot = Arc::new(Snapshot {
        version,
        analysis,
        participants: participants.len(),
        participation,
        votes,
        divisive,
        by_perspective,
        shortlist,
    });
    if let Ok(mut s) = room.snapshot.write() {
        *s = snapshot.clone();
    }
    room.send(LiveEvent::Snapshot(snapshot));
}

/// Participants per perspective, in the session's perspective order, only the
/// perspectives that `rule` shows: a perspective too small to show is left
/// out, not folded into another line. The projector's snapshot and the
/// console both count this way.
pub(crate) fn participation(
    order: &[String],
    participants: &HashMap<ParticipantId, String>,
    rule: &AnonymityRule,
) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = order.iter().map(|p| (p.clone(), 0)).collect();
    for persp in participants.values() {
        match out.iter_mut().find(|(p, _)| p == persp) {
            Some(entry) => entry.1 += 1,
            None => out.push((persp.clone(), 1)),
        }
    }
    out.retain(|(_, n)| rule.shows(*n));
    out
}

/// The statements offered for dot-voting ([`koers_core::sessie::shortlist`]):
/// bridging first, then what each opinion group agrees on, then broad
/// consensus; at most ten. Early in a session, before groups exist, the
/// statements with the most agreement.
fn shortlist_for(
    analysis: Option<&Analysis>,
    accepted: &BTreeSet<StatementId>,
    votes: &HashMap<(u64, u64), Vote>,
) -> Vec<StatementId> {
    use koers_consensus::Direction;
    let id = |s: u64| StatementId(s as i64);
    let candidates = analysis
        .map(|a| ShortlistCandidates {
            bridging: a.bridging.iter().map(|b| id(b.statement)).collect(),
            group_agreements: a
                .groups
                .iter()
                .map(|g| {
                    g.representative
                        .iter()
                        .filter(|r| r.direction == Direction::Agree)
                        .map(|r| id(r.statement))
                        .collect()
                })
                .collect(),
            consensus_agreements: a
                .consensus
                .iter()
                .filter(|c| c.direction == Direction::Agree)
                .map(|c| id(c.statement))
                .collect(),
        })
        .unwrap_or_default();
    let tallies = Tallies::from_choices(votes.iter().filter_map(|((_, st), v)| {
        let st = StatementId(i64::try_from(*st).ok()?);
        accepted.contains(&st).then_some((st, choice(*v)))
    }));
    shortlist(&candidates, accepted.iter().copied(), &tallies)
}

/// The projector's lists for one snapshot: the divisive statements and each
/// perspective's ranking by agreement.
type LiveLists = (
    Vec<Divide<u32>>,
    BTreeMap<String, Vec<(StatementId, f64, usize)>>,
);

/// The divisive statements (one opinion group mostly agrees, another mostly
/// disagrees: [`Tallies::divisive`]) and each perspective's statements ranked by agree share, from every
/// current vote on an accepted statement: a rejected or pending one has no place
/// on the projector. Both go through the anonymity rule: only opinion groups
/// with enough members count towards a spread, and a perspective's share needs
/// enough votes behind it.
fn live_lists(
    votes: &HashMap<(u64, u64), Vote>,
    participants: &HashMap<ParticipantId, String>,
    accepted: &BTreeSet<StatementId>,
    analysis: Option<&Analysis>,
    rule: &AnonymityRule,
) -> LiveLists {
    let group_of: HashMap<u64, u32> = analysis
        .map(|a| {
            a.groups
                .iter()
                .filter(|g| rule.shows(g.members.len()))
                .flat_map(|g| g.members.iter().map(move |m| (*m, g.id)))
                .collect()
        })
        .unwrap_or_default();
    let counted = || {
        votes.iter().filter_map(|((voter, statement), vote)| {
            let statement = StatementId(i64::try_from(*statement).ok()?);
            accepted
                .contains(&statement)
                .then_some((*voter, statement, choice(*vote)))
        })
    };
    let by_group =
        Tallies::from_votes(counted().map(|(voter, st, c)| (st, group_of.get(&voter).copied(), c)));
    let by_perspective = Tallies::from_votes(counted().map(|(voter, st, c)| {
        let perspective = i64::try_from(voter)
            .ok()
            .and_then(|v| participants.get(&ParticipantId(v)))
            .cloned();
        (st, perspective, c)
    }));
    let ranked = by_perspective
        .agreement_by_group(rule)
        .into_iter()
        .map(|(perspective, list)| {
            let list = list
                .into_iter()
                .map(|g| (g.statement, g.share, g.votes as usize))
                .collect();
            (perspective, list)
        })
        .collect();
    (by_group.divisive(rule), ranked)
}

fn choice(vote: Vote) -> VoteChoice {
    match vote {
        Vote::Agree => VoteChoice::Agree,
        Vote::Disagree => VoteChoice::Disagree,
        Vote::Pass => VoteChoice::Pass,
    }
}

/// The live rooms of this server.
pub(crate) fn live(state: &koers_web::AppState) -> koers_web::error::AppResult<Arc<LiveHub>> {
    Ok(crate::sessie_state(state)?.live.clone())
}

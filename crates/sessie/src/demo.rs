//! Sessie's part of the demo data set: a finished live session for Gemeente
//! Voorbeeld, and the real Pol.is conversations shipped in `data/polis`, imported
//! as read-only sessions with their attribution.

use koers_store::{OrgScope, Store};
use koers_web::part::{DemoContext, DemoReport};

/// Seeds the demo session and imports the Pol.is conversations.
pub async fn seed(demo: &DemoContext<'_>) -> anyhow::Result<DemoReport> {
    // The demo seed is a trusted tool: it writes without a logged-in user.
    #[allow(clippy::disallowed_methods)]
    let scope = demo.store.system_scope(demo.home.id);
    seed_session(demo.store, &scope, demo.now).await?;
    let mut report = Vec::new();
    let mut imported = 0;
    for conversation in crate::import::polis_conversations() {
        match crate::import::import_polis_conversation(demo.store, &scope, &conversation, demo.now)
            .await
        {
            Ok(_) => imported += 1,
            Err(e) => report.push(format!(
                "Pol.is-gesprek {} niet geïmporteerd / not imported: {e}",
                conversation.conversation.folder
            )),
        }
    }
    report.insert(
        0,
        format!("Sessie: 1 afgeronde sessie en {imported} Pol.is-gesprekken / 1 finished session and {imported} Pol.is conversations"),
    );
    Ok(report)
}

/// The statements of the demo session, with the stance that drives the simulated
/// votes: 'b' bridges everyone, 'p' appeals to policy and management, 'u' to
/// operations and residents, 's' splits the room at random.
const DEMO_STATEMENTS: &[(&str, char)] = &[
    (
        "Inwoners met schulden moeten één vast contactpersoon hebben",
        'b',
    ),
    (
        "We delen gegevens tussen loketten alleen met toestemming van de inwoner",
        'b',
    ),
    (
        "Vroegsignalering van betaalachterstanden werkt alleen met de woningcorporaties erbij",
        'b',
    ),
    (
        "De wachttijd voor een eerste gesprek is het grootste probleem",
        'u',
    ),
    (
        "Medewerkers in de uitvoering krijgen te weinig ruimte om maatwerk te leveren",
        'u',
    ),
    (
        "Regels van de Participatiewet staan goede hulp in de weg",
        'u',
    ),
    ("Inwoners haken af door de hoeveelheid formulieren", 'u'),
    (
        "Eerst moet de informatievoorziening op orde, dan pas nieuwe dienstverlening",
        'p',
    ),
    ("We moeten één gemeentebreed klantbeeld bouwen", 'p'),
    ("Sturing op kosten per traject maakt het aanbod beter", 'p'),
    (
        "De regie hoort bij het sociaal domein, niet bij de afdeling Belastingen",
        'p',
    ),
    ("Toezicht moet eerder meekijken bij nieuwe werkwijzen", 's'),
    ("Een pilot van een half jaar is genoeg om te beslissen", 's'),
    (
        "Ketenpartners moeten meebetalen aan het gezamenlijke loket",
        's',
    ),
    (
        "We zetten een chatbot in voor eerste vragen over schulden",
        'p',
    ),
    (
        "Een inwonerspanel beoordeelt elk kwartaal of het loket werkt",
        'b',
    ),
    ("Schuldhulp moet ook 's avonds bereikbaar zijn", 'u'),
    (
        "Elke medewerker met klantcontact herkent signalen van geldzorgen",
        'b',
    ),
];

/// (perspective, how many, leaning: true = policy and management side)
const DEMO_ROOM: &[(&str, usize, bool)] = &[
    ("bestuur", 4, true),
    ("directie", 4, true),
    ("beleid", 10, true),
    ("informatievoorziening", 8, true),
    ("uitvoering", 14, false),
    ("toezicht", 6, false),
    ("ketenpartner", 6, false),
    ("inwoner", 8, false),
];

/// A small deterministic generator, so the demo looks the same on every start.
struct DemoRng(u64);

impl DemoRng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A finished session for Gemeente Voorbeeld: about sixty people from every
/// perspective, their votes, dots and the agreed next steps.
async fn seed_session(store: &Store, scope: &OrgScope, now: i64) -> anyhow::Result<()> {
    use koers_core::sessie::{
        ModerationMode, Phase, PhaseAction, Phases, VoteChoice, DEFAULT_PERSPECTIVES,
    };
    use koers_store::{NewLiveSession, NewStatement, StatementStatus, VoteRecord};
    let perspectives: Vec<String> = DEFAULT_PERSPECTIVES
        .iter()
        .map(|p| (*p).to_owned())
        .collect();
    let session = store
        .sessie()
        .create_live_session(
            scope,
            NewLiveSession {
                title: "Eén loket voor schuldhulp in 2027",
                description:
                    "Hoe zorgen we dat inwoners met geldzorgen niet tussen twee loketten vallen? \
                          Beleid, uitvoering, toezicht, ketenpartners en inwoners samen aan tafel.",
                join_code: "KRSDM7",
                join_open_until: now - 1,
                moderation: ModerationMode::Post,
                max_statement_chars: 140,
                dots_per_participant: 3,
                perspectives: &perspectives,
                read_only: false,
                attribution: "",
                created_by: None,
                now: now - 7 * 86_400,
            },
        )
        .await?;
    let start = now - 7 * 86_400;
    let mut rng = DemoRng(0x4b6f_6572_7321);
    let mut participants = vec![];
    for (perspective, count, policy_side) in DEMO_ROOM {
        for i in 0..*count {
            let token = koers_web::auth::token_hash(&format!("demo-participant-{perspective}-{i}"));
            let id = store
                .sessie()
                .join_session(&session, &token, perspective, "", start + 60)
                .await?;
            participants.push((id, *policy_side));
        }
    }
    let mut statements = vec![];
    for (i, (text, stance)) in DEMO_STATEMENTS.iter().enumerate() {
        // The first two are the facilitator's seeds; the rest came from the room.
        let author = if i < 2 {
            None
        } else {
            Some(participants[(i * 7) % participants.len()].0)
        };
        let st = store
            .sessie()
            .add_statement(
                &session,
                NewStatement {
                    participant_id: author,
                    is_seed: author.is_none(),
                    text,
                    status: StatementStatus::Accepted,
                    profanity_hint: false,
                    now: start + 300 + i as i64 * 20,
                    external_id: None,
                },
            )
            .await?;
        statements.push((st, *stance));
    }
    let mut votes = vec![];
    for (p, policy_side) in &participants {
        for (st, stance) in &statements {
            if rng.next() < 0.15 {
                continue; // not everyone votes on everything
            }
            let agree_p = match (stance, policy_side) {
                ('b', _) => 0.88,
                ('p', true) | ('u', false) => 0.82,
                ('p', false) | ('u', true) => 0.2,
                _ => 0.5,
            };
            let r = rng.next();
            let choice = if r < 0.08 {
                VoteChoice::Pass
            } else if rng.next() < agree_p {
                VoteChoice::Agree
            } else {
                VoteChoice::Disagree
            };
            votes.push(VoteRecord {
                scope: session.scope,
                participant_id: *p,
                statement_id: st.id,
                vote: choice,
                at: start + 900 + (votes.len() as i64 % 1200),
            });
        }
    }
    store.sessie().record_votes(&votes).await?;
    // Dots on the bridging statements mostly, with each side's favourites.
    for (i, (p, policy_side)) in participants.iter().enumerate() {
        let mut allocation = std::collections::BTreeMap::new();
        let favourite = if *policy_side { 8 } else { 3 };
        allocation.insert(statements[i % 3].0.id.0, 2u32);
        allocation.insert(statements[favourite].0.id.0, 1u32);
        store.sessie().set_dots(&session, *p, &allocation).await?;
    }
    for (text, owner) in [
        (
            "Pilot met één vaste contactpersoon in twee wijken, start maart",
            "Team Schuldhulp",
        ),
        (
            "Afspraken over gegevensdeling met toestemming vastleggen",
            "Informatievoorziening en privacy",
        ),
        (
            "Woningcorporaties en energieleveranciers aansluiten op vroegsignalering",
            "Ketenregisseur",
        ),
        (
            "Inwonerspanel instellen dat elk kwartaal terugkijkt",
            "Directie Sociaal Domein",
        ),
    ] {
        store
            .sessie()
            .add_next_step(&session, text, owner, start + 3600)
            .await?;
    }
    // Every phase run and closed: a finished session.
    let mut phases = Phases::default();
    for phase in Phase::ALL {
        phases = phases
            .apply(phase, PhaseAction::Open)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        phases = phases
            .apply(phase, PhaseAction::Close)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    store
        .sessie()
        .set_phases(session.scope, phases, start + 4000)
        .await?;
    Ok(())
}

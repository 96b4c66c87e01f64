//! The demo data set: a fictional municipality, "Gemeente Voorbeeld", and a few peer
//! organisations, so that a newcomer sees every part working within a minute. Every
//! part of Koers adds its demo content here.

use koers_core::accessibility::{AccessibilityStatement, ComplianceStatus};
use koers_core::{
    Country, DisplayName, Email, OrganisationKind, OrganisationName, Role, SizeClass,
};
use koers_store::{NewOrganisation, NewUser, Store};

/// Every demo account shares this password; it is printed at start.
pub const DEMO_PASSWORD: &str = "koers-demo-2026";

#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub email: String,
    pub description: &'static str,
}

struct DemoOrg {
    name: &'static str,
    kind: OrganisationKind,
    size: SizeClass,
    country: Country,
}

const ORGS: &[DemoOrg] = &[
    DemoOrg {
        name: "Gemeente Voorbeeld",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo1000,
        country: Country::Nederland,
    },
    DemoOrg {
        name: "Gemeente Anderstad",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo1000,
        country: Country::Nederland,
    },
    DemoOrg {
        name: "Gemeente Beekdal",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo250,
        country: Country::Nederland,
    },
    DemoOrg {
        name: "Stad Scheldemonde",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo1000,
        country: Country::Belgie,
    },
    DemoOrg {
        name: "Provincie Middenland",
        kind: OrganisationKind::Provincie,
        size: SizeClass::UpTo5000,
        country: Country::Nederland,
    },
    DemoOrg {
        name: "Waterschap De Stroom",
        kind: OrganisationKind::Waterschap,
        size: SizeClass::UpTo1000,
        country: Country::Nederland,
    },
];

/// (email, name, platform admin, organisation index, role, description)
type DemoUser = (
    &'static str,
    &'static str,
    bool,
    Option<usize>,
    Role,
    &'static str,
);
const USERS: &[DemoUser] = &[
    (
        "admin@koers.demo",
        "Platformbeheer",
        true,
        None,
        Role::Lid,
        "platformbeheerder / platform admin",
    ),
    (
        "beheerder@voorbeeld.demo",
        "Bea Beheer",
        false,
        Some(0),
        Role::Beheerder,
        "beheerder, Gemeente Voorbeeld",
    ),
    (
        "facilitator@voorbeeld.demo",
        "Frank Facilitator",
        false,
        Some(0),
        Role::Facilitator,
        "facilitator, Gemeente Voorbeeld",
    ),
    (
        "lid@voorbeeld.demo",
        "Lotte Lid",
        false,
        Some(0),
        Role::Lid,
        "lid / member, Gemeente Voorbeeld",
    ),
    (
        "beheerder@anderstad.demo",
        "Ahmed Anders",
        false,
        Some(1),
        Role::Beheerder,
        "beheerder, Gemeente Anderstad",
    ),
];

/// Fills an empty store with the demo data set. `password_hash` is the Argon2id hash
/// of `DEMO_PASSWORD`, computed by the caller (once, since hashing is slow on purpose).
/// `polis_dir`, when given, holds real Pol.is conversations to import as read-only
/// sessions, with their attribution.
pub async fn seed(
    store: &Store,
    password_hash: &str,
    now: i64,
    polis_dir: Option<&std::path::Path>,
) -> anyhow::Result<Vec<DemoLogin>> {
    let mut orgs = Vec::new();
    for o in ORGS {
        let name = OrganisationName::parse(o.name).map_err(|e| anyhow::anyhow!("{e}"))?;
        orgs.push(
            store
                .create_organisation(
                    NewOrganisation {
                        name: &name,
                        kind: o.kind,
                        size_class: o.size,
                        country: o.country,
                    },
                    now,
                )
                .await?,
        );
    }
    let mut logins = Vec::new();
    for (email, name, admin, org, role, description) in USERS {
        let email_v = Email::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
        let name = DisplayName::parse(name).map_err(|e| anyhow::anyhow!("{e}"))?;
        let user = store
            .create_user(
                NewUser {
                    email: &email_v,
                    display_name: &name,
                    password_hash,
                    is_platform_admin: *admin,
                },
                now,
            )
            .await?;
        if let Some(i) = org {
            store
                .set_membership(orgs[*i].id, user.id, *role, now)
                .await?;
        }
        logins.push(DemoLogin {
            email: (*email).to_owned(),
            description,
        });
    }
    let statement = AccessibilityStatement {
        organisation: "Gemeente Voorbeeld".into(),
        status: ComplianceStatus::Partial,
        date: "2026-11-01".into(),
        contact_email: "toegankelijkheid@voorbeeld.demo".into(),
        known_limitations: "Dit is een demonstratie-installatie; de verklaring is een voorbeeld.\nThis is a demo installation; the statement is an example.".into(),
    };
    store
        .put_setting(
            "accessibility_statement",
            &serde_json::to_string(&statement)?,
        )
        .await?;
    seed_session(store, orgs[0].id, now).await?;
    if let Some(dir) = polis_dir {
        for conversation in crate::import::polis_conversations(dir) {
            if let Err(e) =
                crate::import::import_polis_conversation(store, orgs[0].id, &conversation, now)
                    .await
            {
                tracing::warn!(
                    "demo: Pol.is conversation {} not imported: {e}",
                    conversation.conversation.folder
                );
            }
        }
    }
    Ok(logins)
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
async fn seed_session(
    store: &Store,
    org: koers_core::OrganisationId,
    now: i64,
) -> anyhow::Result<()> {
    use koers_core::sessie::{
        ModerationMode, Phase, PhaseAction, Phases, VoteChoice, DEFAULT_PERSPECTIVES,
    };
    use koers_store::{NewLiveSession, NewStatement, StatementStatus, VoteRecord};
    let perspectives: Vec<String> = DEFAULT_PERSPECTIVES
        .iter()
        .map(|p| (*p).to_owned())
        .collect();
    let session = store
        .create_live_session(NewLiveSession {
            organisation_id: org,
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
        })
        .await?;
    let start = now - 7 * 86_400;
    let mut rng = DemoRng(0x4b6f_6572_7321);
    let mut participants = vec![];
    for (perspective, count, policy_side) in DEMO_ROOM {
        for i in 0..*count {
            let token = crate::auth::token_hash(&format!("demo-participant-{perspective}-{i}"));
            let id = store
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
                organisation_id: org,
                session_id: session.id,
                participant_id: *p,
                statement_id: st.id,
                vote: choice,
                at: start + 900 + (votes.len() as i64 % 1200),
            });
        }
    }
    store.record_votes(&votes).await?;
    // Dots on the bridging statements mostly, with each side's favourites.
    for (i, (p, policy_side)) in participants.iter().enumerate() {
        let mut allocation = std::collections::BTreeMap::new();
        let favourite = if *policy_side { 8 } else { 3 };
        allocation.insert(statements[i % 3].0.id.0, 2u32);
        allocation.insert(statements[favourite].0.id.0, 1u32);
        store.set_dots(&session, *p, &allocation).await?;
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
        .set_phases(org, session.id, phases, start + 4000)
        .await?;
    Ok(())
}

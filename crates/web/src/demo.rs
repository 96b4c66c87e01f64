//! The demo data set: a fictional municipality, "Gemeente Voorbeeld", and thirty peer
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
    DemoOrg {
        name: "Gemeente Heuvelrijk",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo1000,
        country: Country::Nederland,
    },
    DemoOrg {
        name: "Gemeente Polderwijk",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo1000,
        country: Country::Nederland,
    },
    DemoOrg {
        name: "Gemeente Duinzicht",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo1000,
        country: Country::Nederland,
    },
    DemoOrg {
        name: "Gemeente Lindehoven",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo1000,
        country: Country::Nederland,
    },
    DemoOrg {
        name: "Gemeente Veenhorst",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo1000,
        country: Country::Nederland,
    },
    DemoOrg {
        name: "Gemeente Eikendaal",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo1000,
        country: Country::Nederland,
    },
    DemoOrg {
        name: "Gemeente Brugwater",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo1000,
        country: Country::Nederland,
    },
    DemoOrg {
        name: "Gemeente Zandvoorde",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo1000,
        country: Country::Nederland,
    },
    DemoOrg {
        name: "Gemeente Molenbroek",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo1000,
        country: Country::Nederland,
    },
    DemoOrg {
        name: "Gemeente Kastelein",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo1000,
        country: Country::Nederland,
    },
    DemoOrg {
        name: "Gemeente Rivierenland-Oost",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo1000,
        country: Country::Nederland,
    },
    DemoOrg {
        name: "Gemeente Hoogeveld",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo250,
        country: Country::Nederland,
    },
    DemoOrg {
        name: "Gemeente Weidedorp",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo250,
        country: Country::Nederland,
    },
    DemoOrg {
        name: "Gemeente Dijkhuizen",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo250,
        country: Country::Nederland,
    },
    DemoOrg {
        name: "Gemeente Bosrand",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo250,
        country: Country::Nederland,
    },
    DemoOrg {
        name: "Gemeente Havenstad",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo5000,
        country: Country::Nederland,
    },
    DemoOrg {
        name: "Gemeente Grootmeer",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo5000,
        country: Country::Nederland,
    },
    DemoOrg {
        name: "Gemeente Kanaalzone",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo5000,
        country: Country::Nederland,
    },
    DemoOrg {
        name: "Stad Leiezicht",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo1000,
        country: Country::Belgie,
    },
    DemoOrg {
        name: "Gemeente Kempenveld",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo1000,
        country: Country::Belgie,
    },
    DemoOrg {
        name: "Gemeente Heidebeek",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo250,
        country: Country::Belgie,
    },
    DemoOrg {
        name: "Stad Maasbrugge",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo1000,
        country: Country::Belgie,
    },
    DemoOrg {
        name: "Gemeente Demerdal",
        kind: OrganisationKind::Gemeente,
        size: SizeClass::UpTo250,
        country: Country::Belgie,
    },
    DemoOrg {
        name: "Provincie Noorderkust",
        kind: OrganisationKind::Provincie,
        size: SizeClass::UpTo5000,
        country: Country::Nederland,
    },
    DemoOrg {
        name: "Provincie Zuiderheuvels",
        kind: OrganisationKind::Provincie,
        size: SizeClass::UpTo5000,
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
/// Each part then adds its own content; what they report is returned for the banner.
pub async fn seed(
    store: &Store,
    password_hash: &str,
    now: i64,
    parts: &[std::sync::Arc<dyn crate::part::Part>],
) -> anyhow::Result<(Vec<DemoLogin>, crate::part::DemoReport)> {
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
    let facilitator = store
        .user_by_email(
            &Email::parse("facilitator@voorbeeld.demo").map_err(|e| anyhow::anyhow!("{e}"))?,
        )
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo facilitator missing"))?;
    let ctx = crate::part::DemoContext {
        store,
        home: &orgs[0],
        peers: &orgs[1..],
        facilitator: &facilitator,
        now,
    };
    let mut reports = Vec::new();
    for part in parts {
        reports.extend(part.seed_demo(&ctx).await?);
    }
    Ok((logins, reports))
}

//! `koers admin`: the same administration as the web pages, for the command line and
//! for first-run set-up without a browser.

use anyhow::{anyhow, bail};
use clap::Subcommand;
use koers_core::{
    Country, DisplayName, Email, OrganisationId, OrganisationKind, OrganisationName, Password,
    Role, SizeClass,
};
use koers_store::{AuditEntry, NewOrganisation, NewUser, Store};
use std::io::Read;

#[derive(Subcommand, Debug)]
pub enum AdminAction {
    /// Create an organisation
    CreateOrg {
        #[arg(long)]
        name: String,
        /// gemeente, provincie, waterschap, ministerie, uitvoeringsorganisatie, zorginstelling, overig
        #[arg(long)]
        kind: String,
        /// xs (≤50 employees), s (≤250), m (≤1000), l (≤5000), xl
        #[arg(long)]
        size: String,
        /// NL or BE
        #[arg(long, default_value = "NL")]
        country: String,
    },
    /// Create an account; with --platform-admin this is the command-line first-run set-up
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Make this account a platform administrator
        #[arg(long)]
        platform_admin: bool,
        /// Add the account to this organisation (id)
        #[arg(long, value_name = "ID")]
        org: Option<i64>,
        /// Role in that organisation: beheerder, facilitator or lid
        #[arg(long, default_value = "lid")]
        role: String,
        /// Read the password from standard input instead of generating one
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password for an account and end its sessions
    ResetPassword {
        #[arg(long)]
        email: String,
        /// Read the password from standard input instead of generating one
        #[arg(long)]
        password_stdin: bool,
    },
    /// List organisations with their ids
    ListOrgs,
}

fn field<T>(r: Result<T, koers_core::FieldError>, what: &str) -> anyhow::Result<T> {
    r.map_err(|e| anyhow!("ongeldige / invalid {what} ({})", e.key))
}

/// The password: from stdin when asked, else a generated one that is printed once.
fn obtain_password(from_stdin: bool) -> anyhow::Result<(Password, bool)> {
    if from_stdin {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        let s = s.trim_end_matches(['\n', '\r']);
        return Ok((
            field(Password::parse(s), "wachtwoord / password (min. 10)")?,
            false,
        ));
    }
    let generated = koers_web::auth::new_token()[..20].to_owned();
    Ok((field(Password::parse(&generated), "password")?, true))
}

pub async fn run(store: &Store, action: &AdminAction) -> anyhow::Result<()> {
    let now = koers_web::unix_now();
    match action {
        AdminAction::CreateOrg {
            name,
            kind,
            size,
            country,
        } => {
            let name = field(OrganisationName::parse(name), "naam / name")?;
            let org = store
                .create_organisation(
                    NewOrganisation {
                        name: &name,
                        kind: field(OrganisationKind::parse(kind), "soort / kind")?,
                        size_class: field(SizeClass::parse(size), "omvang / size")?,
                        country: field(Country::parse(country), "land / country")?,
                    },
                    now,
                )
                .await
                .map_err(|e| match e {
                    koers_store::StoreError::Conflict(_) => {
                        anyhow!("organisatie bestaat al / organisation already exists")
                    }
                    other => other.into(),
                })?;
            store
                .audit(&AuditEntry {
                    organisation_id: Some(org.id),
                    actor: None,
                    action: "org.created".into(),
                    detail: org.name.clone(),
                    created_at: now,
                })
                .await?;
            println!(
                "Organisatie aangemaakt / created: {} (id {})",
                org.name, org.id
            );
        }
        AdminAction::CreateUser {
            email,
            name,
            platform_admin,
            org,
            role,
            password_stdin,
        } => {
            let email = field(Email::parse(email), "e-mail")?;
            let name = field(DisplayName::parse(name), "naam / name")?;
            let role = field(Role::parse(role), "rol / role")?;
            if let Some(id) = org {
                store.organisation(OrganisationId(*id)).await.map_err(|_| {
                    anyhow!("organisatie / organisation {id} bestaat niet / does not exist")
                })?;
            }
            if store.user_by_email(&email).await?.is_some() {
                bail!(
                    "er is al een account met / an account already exists for {}",
                    email.as_str()
                );
            }
            let (password, generated) = obtain_password(*password_stdin)?;
            let hash = koers_web::auth::hash_password(password.expose().to_owned()).await?;
            let user = store
                .create_user(
                    NewUser {
                        email: &email,
                        display_name: &name,
                        password_hash: &hash,
                        is_platform_admin: *platform_admin,
                    },
                    now,
                )
                .await?;
            if let Some(id) = org {
                store
                    .set_membership(OrganisationId(*id), user.id, role, now)
                    .await?;
            }
            store
                .audit(&AuditEntry {
                    organisation_id: org.map(OrganisationId),
                    actor: None,
                    action: "user.created".into(),
                    detail: email.as_str().into(),
                    created_at: now,
                })
                .await?;
            println!(
                "Account aangemaakt / created: {} (id {})",
                email.as_str(),
                user.id
            );
            if generated {
                println!("Wachtwoord / password: {}", password.expose());
            }
        }
        AdminAction::ResetPassword {
            email,
            password_stdin,
        } => {
            let email = field(Email::parse(email), "e-mail")?;
            let user = store
                .user_by_email(&email)
                .await?
                .ok_or_else(|| anyhow!("geen account / no account for {}", email.as_str()))?;
            let (password, generated) = obtain_password(*password_stdin)?;
            let hash = koers_web::auth::hash_password(password.expose().to_owned()).await?;
            store.set_password_hash(user.id, &hash).await?;
            store.delete_login_sessions_of(user.id).await?;
            store
                .audit(&AuditEntry {
                    organisation_id: None,
                    actor: None,
                    action: "user.password_reset".into(),
                    detail: email.as_str().into(),
                    created_at: now,
                })
                .await?;
            println!(
                "Nieuw wachtwoord ingesteld / password reset for {}",
                email.as_str()
            );
            if generated {
                println!("Wachtwoord / password: {}", password.expose());
            }
        }
        AdminAction::ListOrgs => {
            for o in store.organisations().await? {
                println!(
                    "{:>5}  {}  ({}, {}, {})",
                    o.id,
                    o.name,
                    o.kind.as_str(),
                    o.size_class.as_str(),
                    o.country.as_str()
                );
            }
        }
    }
    Ok(())
}

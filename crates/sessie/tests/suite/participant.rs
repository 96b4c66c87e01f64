//! The participant's side: what someone typing a join code on a phone is told when
//! the code is wrong, and that harmless typing differences are forgiven.

use crate::common::*;
use crate::sessie::facilitator_with_session;

#[tokio::test]
async fn a_wrong_join_code_says_what_is_wrong() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, _org, _id, code) = facilitator_with_session(&db, "post").await;
    let mut anon = TestApp::attach(&app);
    anon.fresh_browser();

    for (typed, message) in [
        ("", "Vul de code in die je op het scherm ziet"),
        ("ABC-DE0", "Een code bevat geen O, 0, I, 1 of L"),
        ("abc-deo", "Een code bevat geen O, 0, I, 1 of L"),
        ("ABC-DE!", "Een code bevat alleen letters en cijfers"),
        ("ABC-DE", "Deze code is te kort. Een code heeft zes tekens"),
        (
            "ABC-DEFG",
            "Deze code is te lang. Een code heeft zes tekens",
        ),
        ("ZZZ-ZZZ", "Er is geen sessie met deze code"),
    ] {
        let (s, html, loc) = anon.post_text("/doe-mee", &[("code", typed)]).await;
        assert_eq!(s, 422, "{typed:?}");
        assert!(loc.is_none(), "{typed:?}");
        assert!(html.contains(message), "{typed:?}: {message}");
        // What was typed stays in the field, so one wrong character is one fix.
        if !typed.is_empty() {
            let kept = typed.replace('!', "&#33;");
            assert!(
                html.contains(&format!("value=\"{typed}\"")) || html.contains(&kept),
                "{typed:?} is kept in the field"
            );
        }
    }

    // Lower case, spaces and dashes (also an en dash from a chat app) are forgiven.
    let typed = format!(" {} \u{2013} {} ", &code[..3].to_lowercase(), &code[3..]);
    let (s, _, loc) = anon
        .post_text("/doe-mee", &[("code", typed.as_str())])
        .await;
    assert_eq!(s, 303);
    assert_eq!(loc.unwrap(), format!("/s/{code}"));
}

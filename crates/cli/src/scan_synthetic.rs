//! The synthetic Scan model both Scan benchmarks time (`bench-scan` and
//! `bench-scan-page`): one generator, the few differences as a [`Synthetic`].

use std::fmt::Write;

/// What differs between the benchmarks' synthetic models.
pub(crate) struct Synthetic {
    /// The model id.
    pub id: &'static str,
    /// Questions, spread round-robin over the dimensions.
    pub questions: usize,
    pub dimensions: usize,
    /// The `from` of the four bands a–d.
    pub bands_from: [u32; 4],
    /// Advice with one first step per band on every dimension (what the results
    /// page renders).
    pub advice: bool,
    /// The last question is an open one (never scored; the page lists its text).
    pub open_last: bool,
}

/// A perspectives model in the TOML format: every scored question type in turn
/// (checklist, grid, adoption, tristate, single choice, likert and reversed likert).
pub(crate) fn source(m: &Synthetic) -> String {
    let t = |s: &str| format!("{{ nl = \"{s}\", en = \"{s}\" }}");
    let mut s = format!(
        "[model]\nid = \"{}\"\nversion = \"1\"\nlanguages = [\"nl\", \"en\"]\nmode = \"perspectives\"\ntitle = {}\ndescription = {}\n\n",
        m.id,
        t("Bench"),
        t("Synthetic")
    );
    for (id, from) in ["a", "b", "c", "d"].iter().zip(m.bands_from) {
        let _ = writeln!(
            s,
            "[[bands]]\nid = \"{id}\"\nfrom = {from}.0\nlabel = {}\n",
            t(id)
        );
    }
    let _ = writeln!(
        s,
        "[[scales]]\nid = \"s5\"\nnot_applicable = [{{ id = \"nvt\", label = {} }}]\npoints = [",
        t("nvt")
    );
    for v in 1..=5 {
        let _ = writeln!(
            s,
            "  {{ id = \"{v}\", value = {v}, label = {} }},",
            t(&v.to_string())
        );
    }
    s.push_str("]\n\n");
    for d in 0..m.dimensions {
        let _ = writeln!(
            s,
            "[[dimensions]]\nid = \"d{d}\"\nlabel = {}\n",
            t(&format!("D{d}"))
        );
        if m.advice {
            for band in ["a", "b", "c", "d"] {
                let _ = writeln!(
                    s,
                    "  [[dimensions.advice]]\n  band = \"{band}\"\n  text = {}\n  first_steps = [{}]\n",
                    t("Advies"),
                    t("Stap")
                );
            }
        }
    }
    let rows = |n: usize| {
        (0..n)
            .map(|i| format!("{{ id = \"r{i}\", label = {} }}", t(&format!("R{i}"))))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for q in 0..m.questions {
        let _ = write!(
            s,
            "[[questions]]\nid = \"q{q}\"\ndimension = \"d{}\"\ntext = {}\n",
            q % m.dimensions,
            t(&format!("Q{q}"))
        );
        let _ = match q % 8 {
            _ if m.open_last && q == m.questions - 1 => writeln!(s, "type = \"text\"\n"),
            0 => writeln!(s, "type = \"checklist\"\noptions = [{}]\n", rows(5)),
            1 => writeln!(s, "type = \"grid\"\nrows = [{}]\n", rows(4)),
            2 => writeln!(s, "type = \"adoption\"\nrows = [{}]\n", rows(4)),
            3 => writeln!(s, "type = \"tristate\"\nrows = [{}]\n", rows(4)),
            4 => writeln!(
                s,
                "type = \"single_choice\"\noptions = [{{ id = \"o0\", label = {}, score = 0.0 }}, {{ id = \"o1\", label = {}, score = 5.0 }}, {{ id = \"o2\", label = {}, score = 10.0 }}]\n",
                t("0"),
                t("5"),
                t("10")
            ),
            5 => writeln!(s, "type = \"likert\"\nscale = \"s5\"\nreversed = true\n"),
            _ => writeln!(s, "type = \"likert\"\nscale = \"s5\"\n"),
        };
    }
    s
}

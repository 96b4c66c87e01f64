//! The models shipped in the binary. Adding one is one line in [`SOURCES`]; the test
//! `every_builtin_model_parses` (in the core's test binary) checks each of them.

use super::model::Model;

/// (file name, source) of every built-in model, embedded at compile time.
pub const SOURCES: &[(&str, &str)] = &[(
    "digitale-volwassenheid-pso.toml",
    include_str!("../../models/digitale-volwassenheid-pso.toml"),
)];

/// Every built-in model that parses, in [`SOURCES`] order. A built-in that does not
/// parse is a build defect that the tests catch; it is left out here rather than
/// taking the server down.
pub fn builtin_models() -> Vec<Model> {
    SOURCES
        .iter()
        .filter_map(|(name, src)| Model::parse(name, src).ok())
        .collect()
}

/// The built-in model with this id.
pub fn builtin_model(id: &str) -> Option<Model> {
    builtin_models().into_iter().find(|m| m.id() == id)
}

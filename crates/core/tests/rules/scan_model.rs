//! Scan model files: parsing, errors with their place, built-ins, the schema.

use koers_core::scan::*;

#[test]
fn every_builtin_model_parses() {
    for (name, src) in builtin::SOURCES {
        let m = Model::parse(name, src).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(format!("{}.toml", m.id()), *name);
    }
    assert_eq!(builtin_models().len(), builtin::SOURCES.len());
}

//! Scan's domain: assessment models as files, answers, scoring, aggregation over
//! perspectives with the anonymity rule, perception gaps and peer benchmarks.

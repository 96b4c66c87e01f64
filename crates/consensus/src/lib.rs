//! The opinion-group engine behind Koers's live sessions. Being built (issue 3).

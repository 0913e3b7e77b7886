//! "Did you mean" suggestions for unknown names, keys and rules.

/// The candidate closest to `name`, if one is close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let limit = (name.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| {
            let distance = if c.to_lowercase() == lower {
                0
            } else {
                strsim::damerau_levenshtein(&lower, &c.to_lowercase()).max(1)
            };
            (distance, c)
        })
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// ` (did you mean 'x'?)` or nothing.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(name, candidates)
        .map(|c| format!("did you mean '{c}'?"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["roles", "applications", "permission_sets"];
        assert_eq!(closest("role", names), Some("roles"));
        assert_eq!(closest("aplications", names), Some("applications"));
        assert_eq!(closest("colour", names), None);
        assert_eq!(closest("ROLES", names), Some("roles"));
    }
}

//! "Did you mean" suggestions for unknown names, keys and rules.

/// Names longer than this are not compared character by character: a
/// suggestion for a 100,000-character name would cost seconds and help
/// nobody.
const LONGEST_COMPARED: usize = 200;

/// The candidate closest to `name` (case-insensitive Damerau-Levenshtein,
/// at most a third of the name's length away), if any. Bounded work: a
/// candidate whose length alone puts it out of reach is not compared, and
/// neither is any name over [`LONGEST_COMPARED`] characters.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let length = name.chars().count();
    if length > LONGEST_COMPARED {
        return None;
    }
    let lower = name.to_lowercase();
    let limit = (length / 3).max(2);
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    // A name of three or more characters that starts or is part of exactly
    // one candidate means it: `prod` → `production`, `admin-on-integ` →
    // `admin-on-integration`.
    if length >= 3 {
        let containing: Vec<&str> = candidates
            .iter()
            .copied()
            .filter(|c| c.len() <= 4 * LONGEST_COMPARED && c.to_lowercase().contains(&lower))
            .collect();
        if let [only] = containing.as_slice()
            && only.to_lowercase() != lower
        {
            return Some(only);
        }
    }
    candidates
        .into_iter()
        .filter(|c| c.len() <= 4 * LONGEST_COMPARED && c.chars().count().abs_diff(length) <= limit)
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

/// The one wording of a suggestion: `did you mean 'X'?`.
pub fn did_you_mean(suggestion: &str) -> String {
    format!("did you mean '{suggestion}'?")
}

/// ` (did you mean 'X'?)` to follow a message, or nothing.
pub fn hint(suggestion: Option<&str>) -> String {
    suggestion.map_or(String::new(), |c| format!(" ({})", did_you_mean(c)))
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

    #[test]
    fn suggests_the_one_name_that_contains_a_short_one() {
        let environments = ["production", "staging", "ci", "development"];
        assert_eq!(closest("prod", environments), Some("production"));
        assert_eq!(closest("dev", environments), Some("development"));
        let rules = ["admin-on-integration", "api-access-disabled"];
        assert_eq!(
            closest("admin-on-integ", rules),
            Some("admin-on-integration")
        );
        // Two candidates contain it: no guess from the substring.
        assert_eq!(closest("acc", ["account", "access"]), None);
    }

    #[test]
    fn long_names_are_not_compared() {
        let long = "r".repeat(100_000);
        let near = format!("{long}x");
        let started = std::time::Instant::now();
        assert_eq!(closest(&near, [long.as_str()]), None);
        assert_eq!(hint(None), "");
        assert_eq!(hint(Some("roles")), " (did you mean 'roles'?)");
        // A guard against the quadratic comparison, not a benchmark.
        assert!(started.elapsed().as_secs() < 5);
    }
}

/// Below this many names, every name is compared.
const BRUTE_FORCE: usize = 2_000;
/// How many neighbours on each side a large set compares.
const NEIGHBOURS: usize = 24;

/// "Did you mean" over a set of names that may be large (every user of a
/// tenant): built once, then each lookup compares the name with its
/// neighbours in sorted order and in the sorted order of the reversed names,
/// since a typo leaves either the start or the end of a name intact. Small
/// sets are compared whole.
pub struct Suggester {
    names: Vec<String>,
    /// Reversed name and its index in `names`.
    reversed: Vec<(String, usize)>,
}

impl Suggester {
    /// Indexes the names.
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Suggester {
        let mut names: Vec<String> = names.into_iter().map(str::to_string).collect();
        names.sort_unstable();
        let mut reversed = Vec::new();
        if names.len() > BRUTE_FORCE {
            reversed = names
                .iter()
                .enumerate()
                .map(|(i, n)| (n.chars().rev().collect(), i))
                .collect();
            reversed.sort_unstable();
        }
        Suggester { names, reversed }
    }

    /// The closest name to `name`, if one is close enough.
    pub fn closest(&self, name: &str) -> Option<&str> {
        if self.names.len() <= BRUTE_FORCE {
            return closest(name, self.names.iter().map(String::as_str));
        }
        let window = |i: usize, len: usize| i.saturating_sub(NEIGHBOURS)..(i + NEIGHBOURS).min(len);
        let at = self.names.partition_point(|n| n.as_str() < name);
        let rev: String = name.chars().rev().collect();
        let rat = self
            .reversed
            .partition_point(|(r, _)| r.as_str() < rev.as_str());
        let near = self.names[window(at, self.names.len())]
            .iter()
            .map(String::as_str);
        let near_end = self.reversed[window(rat, self.reversed.len())]
            .iter()
            .map(|(_, i)| self.names[*i].as_str());
        closest(name, near.chain(near_end))
    }
}

#[cfg(test)]
mod suggester_tests {
    use super::*;

    #[test]
    fn large_sets_find_typos_at_either_end() {
        let names: Vec<String> = (0..10_000)
            .map(|i| format!("person-{i:06}@example.com"))
            .collect();
        let s = Suggester::new(names.iter().map(String::as_str));
        assert_eq!(
            s.closest("person-004211@example.con"),
            Some("person-004211@example.com")
        );
        assert_eq!(
            s.closest("persom-004211@example.com"),
            Some("person-004211@example.com")
        );
        assert_eq!(s.closest("somebody-else"), None);
        let small = Suggester::new(["roles", "users"]);
        assert_eq!(small.closest("role"), Some("roles"));
    }
}

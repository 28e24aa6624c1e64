//! "Did you mean": the name a mistyped word most likely stands for, for fixes in spec
//! diagnostics and on the command line.

/// The name in `names` that `got` most likely misspells, for "did you mean" fixes: the same
/// word in another case or with `-` for `_` (`KEYS_ONLY`, `on-demand`), else the nearest by
/// edit distance when that is at most a third of the name's length (at least 1).
pub fn closest<'a>(got: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let fold = |s: &str| s.to_ascii_lowercase().replace('-', "_");
    let names: Vec<&str> = names.into_iter().collect();
    if let Some(same) = names.iter().find(|n| fold(n) == fold(got) && **n != got) {
        return Some(same);
    }
    names
        .into_iter()
        .map(|name| (edit_distance(got, name), name))
        .filter(|&(distance, name)| distance <= (name.len() / 3).max(1))
        .min()
        .map(|(_, name)| name)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substituted = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substituted.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_names_a_likely_misspelling_or_nothing() {
        assert_eq!(closest("simulat", ["plan", "simulate"]), Some("simulate"));
        assert_eq!(
            closest("KEYS_ONLY", ["keys_only", "all"]),
            Some("keys_only")
        );
        assert_eq!(
            closest("on-demand", ["on_demand", "provisioned"]),
            Some("on_demand")
        );
        assert_eq!(closest("zzzzzz", ["name", "keys"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}

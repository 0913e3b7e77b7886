//! Pages of a saved list, cross-checked: a page missing from the export, or
//! pages holding fewer elements than the list says it has, make the import
//! incomplete (exit 1), never a silent gap.

use super::Problem;
use super::recognise::Kind;
use serde_json::Value;
use std::collections::BTreeMap;

/// What a page says of its list: v2 under `page`, v1 (Spring) at the root.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PageInfo {
    /// `number`, from 0.
    pub number: Option<u64>,
    /// `totalPages`.
    pub total_pages: Option<u64>,
    /// `totalElements`.
    pub total_elements: Option<u64>,
    /// `size`, as asked.
    pub size: Option<u64>,
    /// `last` (v1).
    pub last: Option<bool>,
}

impl PageInfo {
    /// The paging fields of an answer; `None` for a plain array or an
    /// object that is no page (`content` is not an array).
    pub fn of(value: &Value) -> Option<PageInfo> {
        value.get("content")?.as_array()?;
        let field = |key: &str| {
            value
                .get("page")
                .and_then(|p| p.get(key))
                .or_else(|| value.get(key))
        };
        let number = |key: &str| field(key).and_then(Value::as_u64);
        Some(PageInfo {
            number: number("number"),
            total_pages: number("totalPages"),
            total_elements: number("totalElements"),
            size: number("size"),
            last: value.get("last").and_then(Value::as_bool),
        })
    }
}

/// What pages of one list share: kind, size, `totalPages`,
/// `totalElements`.
type ListKey = (Kind, Option<u64>, u64, Option<u64>);

/// One page read: its number, how many elements it held, its file.
type PageRead = (u64, usize, String);

/// The pages read, by list: pages of one list share their kind, size and
/// totals. (Two lists alike in all of these are taken for one: that can
/// hide a gap, never invent one.)
#[derive(Debug, Default)]
pub struct Pages {
    lists: BTreeMap<ListKey, Vec<PageRead>>,
}

impl Pages {
    /// Notes one page of `kind` from `file` holding `elements` elements.
    pub fn add(&mut self, kind: Kind, info: PageInfo, elements: usize, file: &str) {
        let (Some(number), Some(total)) = (info.number, info.total_pages) else {
            return;
        };
        self.lists
            .entry((kind, info.size, total, info.total_elements))
            .or_default()
            .push((number, elements, file.to_string()));
    }

    /// A problem for each list with a page missing, or fewer elements than
    /// its `totalElements`.
    pub fn check(&self, problems: &mut Vec<Problem>) {
        for ((kind, _, total, elements), pages) in &self.lists {
            let Some(first) = pages.iter().map(|p| &p.2).min() else {
                continue;
            };
            // A set, so that a list of many pages is checked in linear time.
            let numbers: std::collections::BTreeSet<u64> = pages.iter().map(|p| p.0).collect();
            let missing: Vec<String> = (0..*total)
                .filter(|n| !numbers.contains(n))
                .take(10)
                .map(|n| n.to_string())
                .collect();
            if !missing.is_empty() {
                problems.push(Problem::new(
                    format!("{first}#/"),
                    format!(
                        "the list of {} this page belongs to has {total} pages; page {} (from \
                         0) is not in the export, so the list is incomplete",
                        kind.describe(),
                        missing.join(", ")
                    ),
                ));
                continue;
            }
            let read: usize = pages.iter().map(|p| p.1).sum();
            if let Some(expected) = elements
                && (read as u64) < *expected
            {
                problems.push(Problem::new(
                    format!("{first}#/"),
                    format!(
                        "the list of {} this page belongs to says it holds {expected} elements; \
                         its pages hold {read}, so the list is incomplete",
                        kind.describe()
                    ),
                ));
            }
        }
    }
}

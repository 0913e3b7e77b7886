//! An account's access picture as inline SVG: account → roles → permission
//! sets → grants, grants coloured by the status of their matrix row. Labels
//! are shortened by their rendered width, at the end, and clipped to their
//! box, so that no label runs past it whatever the name.

use crate::evidence::{GrantStatus, Picture};
use maud::{Markup, html};
use unicode_width::UnicodeWidthChar;

/// Left edge of each column of the access picture.
const COLUMN_X: [usize; 4] = [8, 218, 428, 638];
/// Width of a box.
const WIDTH: usize = 200;
/// Height of a box.
const BOX: usize = 18;
/// Distance between the tops of two boxes of a column.
const ROW: usize = 23;
/// Room for the label inside a box: its width less 6 on each side.
const LABEL_ROOM: f32 = (WIDTH - 12) as f32;

/// The width of `c` in a 10px sans-serif face (the labels'), in pixels,
/// rounded up:
/// wide (East Asian) characters take two cells, zero-width ones none, and
/// Latin letters their class's width. An estimate made to err wide, so
/// that a label it keeps fits; the clip path catches the rest.
fn char_width(c: char) -> f32 {
    match c.width() {
        None | Some(0) => 0.0,
        Some(2..) => 10.5,
        Some(_) => match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'I' => 2.9,
            ' ' | 'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '/' | '-' => 3.8,
            'm' | 'w' | 'M' | 'W' | '@' | '%' => 8.7,
            'A'..='Z' | '&' | '#' => 7.1,
            _ => 6.0,
        },
    }
}

/// The rendered width of `text`, by [`char_width`].
pub fn rendered_width(text: &str) -> f32 {
    text.chars().map(char_width).sum()
}

/// A label that fits its box: kept whole when it fits, else cut at the end
/// by its rendered width, with `…`. Never cut in the middle: the kind and
/// the start of a name (`step:Vendor Risk/…`) are what a reader scans for;
/// the whole label is the box's tooltip.
pub fn short_label(label: &str) -> String {
    if rendered_width(label) <= LABEL_ROOM {
        return label.to_string();
    }
    let room = LABEL_ROOM - char_width('…');
    let mut used = 0.0;
    let mut out = String::new();
    for c in label.chars() {
        used += char_width(c);
        if used > room {
            break;
        }
        out.push(c);
    }
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// The points of the line from one box (column, x, y) to another: straight
/// between neighbouring columns; between columns further apart, through the
/// gaps, so that it never crosses a box of a column in between (a role's
/// module must not look as if it came from a permission set).
fn edge_points(
    (from_column, x1, y1): (usize, usize, usize),
    (to_column, x2, y2): (usize, usize, usize),
) -> Vec<(usize, usize)> {
    let (start, end) = ((x1 + WIDTH, y1 + BOX / 2), (x2, y2 + BOX / 2));
    if to_column <= from_column + 1 {
        return vec![start, end];
    }
    // Boxes of every column sit on the same rows: the middle of the gap
    // between two rows is free in every column.
    // The middle of the gap below the target's row.
    let lane = (end.1.saturating_sub(8)) / ROW * ROW + 8 + BOX + (ROW - BOX) / 2;
    let after_source = x1 + WIDTH + 5;
    let before_target = x2 - 5;
    vec![
        start,
        (after_source, start.1),
        (after_source, lane),
        (before_target, lane),
        (before_target, end.1),
        end,
    ]
}

/// The account's access paths as an SVG. `account` makes the clip paths'
/// ids unique in the page. The aspect ratio is stated so that a narrower
/// box (print) scales the height with the width. (SVG elements are closed explicitly: HTML reads
/// them as foreign content.)
pub fn svg(picture: &Picture, account: usize) -> Markup {
    let mut rows = [0usize; 4];
    let mut position = Vec::with_capacity(picture.nodes.len());
    for node in &picture.nodes {
        let column = node.column.min(3);
        position.push((column, COLUMN_X[column], 8 + rows[column] * ROW));
        rows[column] += 1;
    }
    let height = rows.iter().max().copied().unwrap_or(1).max(1) * ROW + 12;
    let edges: Vec<String> = picture
        .edges
        .iter()
        .filter_map(|&(from, to)| Some(edge_points(*position.get(from)?, *position.get(to)?)))
        .map(|points| {
            points
                .iter()
                .map(|(x, y)| format!("{x},{y}"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let position: Vec<(usize, usize)> = position.iter().map(|&(_, x, y)| (x, y)).collect();
    html! {
        svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="access paths"
            width="846" height=(height) viewBox={ "0 0 846 " (height) }
            style={ "aspect-ratio: 846 / " (height) } {
            @for points in &edges {
                polyline points=(points) fill="none" stroke="#8c959f" stroke-width="1" {}
            }
            @for (i, (node, &(x, y))) in picture.nodes.iter().zip(&position).enumerate() {
                @let (fill, stroke) = match node.status {
                    Some(GrantStatus::Ok) => ("#dafbe1", "#1a7f37"),
                    Some(GrantStatus::Flagged) => ("#ffebe9", "#cf222e"),
                    Some(GrantStatus::Excess) => ("#fff8c5", "#9a6700"),
                    Some(GrantStatus::Missing) => ("#ffebe9", "#cf222e"),
                    None => ("#f6f8fa", "#57606a"),
                };
                @let clip = format!("clip-{account}-{i}");
                @let dash = (node.status == Some(GrantStatus::Missing)).then_some("4 2");
                g {
                    title { (node.label) }
                    clipPath id=(clip) { rect x=(x + 2) y=(y) width=(WIDTH - 4) height=(BOX) {} }
                    rect x=(x) y=(y) width=(WIDTH) height=(BOX) rx="4" fill=(fill) stroke=(stroke)
                        stroke-dasharray=[dash] {}
                    text x=(x + 6) y=(y + 13) clip-path={ "url(#" (clip) ")" } { (short_label(&node.label)) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the segment a–b passes through the inside of the box at
    /// (x, y) (WIDTH × BOX). Segments that skip a column are axis-aligned.
    fn crosses((ax, ay): (usize, usize), (bx, by): (usize, usize), (x, y): (usize, usize)) -> bool {
        let (left, right) = (ax.min(bx), ax.max(bx));
        let (top, bottom) = (ay.min(by), ay.max(by));
        left < x + WIDTH && right > x && top < y + BOX && bottom > y
    }

    #[test]
    fn an_edge_that_skips_a_column_crosses_no_box_of_it() {
        // Rows 0–3 of every column hold boxes; a role (column 1, row 2)
        // reaches grants in column 3 at every row, past permission sets.
        for role_row in 0..4 {
            for grant_row in 0..4 {
                let role = (1, COLUMN_X[1], 8 + role_row * ROW);
                let grant = (3, COLUMN_X[3], 8 + grant_row * ROW);
                let points = edge_points(role, grant);
                assert_eq!(
                    points.first(),
                    Some(&(COLUMN_X[1] + WIDTH, role.2 + BOX / 2))
                );
                assert_eq!(points.last(), Some(&(COLUMN_X[3], grant.2 + BOX / 2)));
                for pair in points.windows(2) {
                    for row in 0..4 {
                        let set = (COLUMN_X[2], 8 + row * ROW);
                        assert!(
                            !crosses(pair[0], pair[1], set),
                            "role row {role_row} → grant row {grant_row} crosses set row {row}: {points:?}"
                        );
                    }
                }
            }
        }
        // Neighbouring columns: one straight line.
        let set = (2, COLUMN_X[2], 8);
        let grant = (3, COLUMN_X[3], 8 + ROW);
        assert_eq!(edge_points(set, grant).len(), 2);
    }

    #[test]
    fn a_long_label_is_cut_at_the_end_by_its_width_and_fits() {
        let step = "step:Vendor Risk/Third-Party Assessment Workflow/Awaiting Second Review";
        let short = short_label(step);
        assert!(short.ends_with('…'), "{short}");
        assert!(
            step.starts_with(short.trim_end_matches('…')),
            "cut at the end: {short}"
        );
        assert!(rendered_width(&short) <= LABEL_ROOM);
        // Wide characters take twice the room of narrow ones: fewer fit.
        let wide = short_label(&"審".repeat(40));
        let narrow = short_label(&"i".repeat(100));
        assert!(wide.chars().count() < narrow.chars().count());
        assert!(rendered_width(&wide) <= LABEL_ROOM);
        // A label that fits is kept whole; a name of 100,000 characters is
        // cut in time.
        assert_eq!(short_label("module:RECORDS"), "module:RECORDS");
        assert!(rendered_width(&short_label(&"W".repeat(100_000))) <= LABEL_ROOM);
    }
}

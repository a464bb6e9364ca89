//! Every quote of both claims registries is the paper's text, verbatim
//! (whitespace aside). The paper states no licence, so its text is not in
//! the repository: `reference/paper_quotes.txt` records where each quote
//! sits in it and its CRC-32 (made by `reference/paper_quotes.py` from the
//! paper), and a quote that is not recorded there fails. When the paper is
//! at hand (`$SAORSA_PAPER`, or `shared/paper.txt` beside the repository)
//! its text is checked too: the same paper, and each quote at its place.

use harness::claims::{registry, v2};
use std::path::PathBuf;

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One recorded quote: CRC-32, offset and length in characters.
struct Place {
    crc: String,
    offset: usize,
    len: usize,
}

/// The recorded places, and the header's squashed length and CRC-32 of the paper.
fn recorded() -> (Vec<Place>, usize, String) {
    let text = include_str!("reference/paper_quotes.txt");
    let header = text.lines().next().unwrap();
    let len = header.split("squashed text ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    let crc = header.rsplit("CRC-32 ").next().unwrap().trim().to_string();
    let places = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let mut f = l.split(' ');
            let crc = f.next().unwrap().to_string();
            let offset = f.next().unwrap().parse().unwrap();
            let len = f.next().unwrap().parse().unwrap();
            Place { crc, offset, len }
        })
        .collect();
    (places, len, crc)
}

/// Every quote of both registries, with its claim's id.
fn quotes() -> Vec<(String, String)> {
    let v1 = registry::CLAIMS.iter().map(|c| (format!("v1 {}", c.id), squash(c.quote)));
    let v2 = v2::registry::CLAIMS.iter().map(|c| (format!("v2 {}", c.id), squash(c.quote)));
    v1.chain(v2).collect()
}

#[test]
fn every_quote_of_both_registries_is_recorded_in_the_paper() {
    let (places, _, _) = recorded();
    assert_eq!(quotes().len(), registry::CLAIMS.len() + v2::registry::CLAIMS.len());
    for (id, q) in quotes() {
        let crc = format!("{:08x}", saorsa_nn::crc32(q.as_bytes()));
        let place = places.iter().find(|p| p.crc == crc);
        assert!(
            place.is_some_and(|p| p.len == q.chars().count()),
            "{id}: quote not found in the paper's recorded quotes"
        );
    }
}

#[test]
fn the_recorded_places_are_the_papers_text_when_it_is_at_hand() {
    let path = std::env::var_os("SAORSA_PAPER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/paper.txt"));
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "{} not found: the quotes were checked against their recorded CRC-32s only",
            path.display()
        );
        return;
    };
    let paper = squash(&text);
    let (places, len, crc) = recorded();
    assert_eq!(paper.chars().count(), len, "another paper at {}", path.display());
    assert_eq!(
        format!("{:08x}", saorsa_nn::crc32(paper.as_bytes())),
        crc,
        "another paper at {}",
        path.display()
    );
    let chars: Vec<char> = paper.chars().collect();
    for p in &places {
        let at: String = chars[p.offset..p.offset + p.len].iter().collect();
        assert_eq!(format!("{:08x}", saorsa_nn::crc32(at.as_bytes())), p.crc, "the paper at {}", p.offset);
    }
    for (id, q) in quotes() {
        assert!(paper.contains(&q), "{id}: quote not found verbatim in the paper");
    }
}

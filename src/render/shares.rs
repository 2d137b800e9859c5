//! Shares: what the data files are made of, one piece per published brief
//! ([`Pieces`]), and how the published briefs moved since the last update
//! ([`Diff`]). Below the data files' keeper (`data.rs`) and the files made
//! from the pieces (`catalog`, `watchlist`'s calendar, `search`), so that
//! each of them names these without importing the keeper, which imports
//! them.

use std::collections::HashMap;
use std::io;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::types::brief::Brief;

/// How the published briefs moved since the last update.
pub(crate) struct Diff {
    /// For each brief now, the place it had before if it is unchanged.
    pub kept: Vec<Option<usize>>,
    /// How many published briefs there were.
    pub old_len: usize,
    /// The same briefs (by file) in the same order, some maybe edited.
    pub same_order: bool,
}

impl Diff {
    /// Compares the published briefs of the last update, `old`, with `new`.
    pub(crate) fn new(old: &[Arc<Brief>], new: &[Arc<Brief>]) -> Self {
        let same_order =
            old.len() == new.len() && old.iter().zip(new).all(|(a, b)| a.path == b.path);
        let kept = if same_order {
            old.iter()
                .zip(new)
                .enumerate()
                .map(|(d, (a, b))| Arc::ptr_eq(a, b).then_some(d))
                .collect()
        } else {
            let before: HashMap<&Path, usize> = old
                .iter()
                .enumerate()
                .map(|(d, b)| (b.path.as_path(), d))
                .collect();
            new.iter()
                .map(|b| {
                    before
                        .get(b.path.as_path())
                        .copied()
                        .filter(|&o| Arc::ptr_eq(&old[o], b))
                })
                .collect()
        };
        Diff {
            kept,
            old_len: old.len(),
            same_order,
        }
    }
}

/// The per-brief pieces of one data file: the shares `serve` keeps, or,
/// for a build, pieces made as they are written.
pub(crate) enum Pieces<'a> {
    Kept(&'a [Vec<u8>]),
    Made {
        /// The briefs whose pieces these are.
        range: std::ops::Range<usize>,
        make: &'a (dyn Fn(usize) -> Vec<u8> + Sync),
    },
}

impl Pieces<'_> {
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Pieces::Kept(shares) => shares.is_empty(),
            Pieces::Made { range, .. } => range.is_empty(),
        }
    }

    /// How many pieces there are.
    pub(crate) fn len(&self) -> usize {
        match self {
            Pieces::Kept(shares) => shares.len(),
            Pieces::Made { range, .. } => range.len(),
        }
    }

    /// The pieces of the briefs `range` (counted from the first of these).
    pub(crate) fn slice(&self, range: std::ops::Range<usize>) -> Pieces<'_> {
        match self {
            Pieces::Kept(shares) => Pieces::Kept(&shares[range]),
            Pieces::Made { range: all, make } => Pieces::Made {
                range: all.start + range.start..all.start + range.end,
                make: *make,
            },
        }
    }

    /// Writes the pieces to `out` with `sep` between two. Made pieces are
    /// made in parallel a chunk at a time and dropped once written, so a
    /// build never holds the file or its pieces whole.
    pub(crate) fn write_to(&self, out: &mut dyn io::Write, sep: &[u8]) -> io::Result<()> {
        const CHUNK: usize = 1024;
        match self {
            Pieces::Kept(shares) => write_all(out, shares, sep, true),
            Pieces::Made { range, make } => {
                for first in range.clone().step_by(CHUNK) {
                    let end = (first + CHUNK).min(range.end);
                    let chunk: Vec<Vec<u8>> = (first..end).into_par_iter().map(make).collect();
                    write_all(out, &chunk, sep, first == range.start)?;
                }
                Ok(())
            }
        }
    }
}

fn write_all(
    out: &mut dyn io::Write,
    pieces: &[Vec<u8>],
    sep: &[u8],
    first: bool,
) -> io::Result<()> {
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 || !first {
            out.write_all(sep)?;
        }
        out.write_all(piece)?;
    }
    Ok(())
}

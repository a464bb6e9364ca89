//! Every run of a claims run, indexed by plan, level, initializer and seed.

use crate::claims::{Plan, Prepared, RunRecord};
use std::collections::BTreeMap;

/// Every run, indexed by (plan, level, initializer, seed).
pub struct Table<'a> {
    /// The plans.
    pub plans: &'a [Plan],
    /// Each level's data (chance and ceiling).
    pub prepared: &'a [Vec<Prepared>],
    /// The runs, in job order.
    pub records: &'a [RunRecord],
    index: BTreeMap<(usize, usize, usize, u64), usize>,
}

impl<'a> Table<'a> {
    /// Indexes `records`.
    pub(crate) fn new(
        plans: &'a [Plan],
        prepared: &'a [Vec<Prepared>],
        records: &'a [RunRecord],
    ) -> Table<'a> {
        let index = records.iter().enumerate().map(|(k, r)| ((r.plan, r.level, r.init, r.seed), k)).collect();
        Table { plans, prepared, records, index }
    }

    /// Index of the plan `id`.
    pub(crate) fn plan(&self, id: &str) -> Option<usize> {
        self.plans.iter().position(|p| p.id == id)
    }

    /// The runs of (plan, level, initializer `init`), in seed order.
    pub(crate) fn runs(&self, p: usize, l: usize, init: &str) -> Vec<&'a RunRecord> {
        let plan = &self.plans[p];
        let Some(i) = plan.init(init) else { return Vec::new() };
        plan.seeds.iter().filter_map(|&s| self.index.get(&(p, l, i, s)).map(|&k| &self.records[k])).collect()
    }

    /// `f` of each run of (plan, level, `init`), in seed order.
    pub(crate) fn values(&self, p: usize, l: usize, init: &str, f: impl Fn(&RunRecord) -> f64) -> Vec<f64> {
        self.runs(p, l, init).into_iter().map(f).collect()
    }
}

//! Which of the paper's findings hold in a study, in words.

use super::Summary;
use crate::inits::InitSpec;
use crate::stats;
use saorsa_nn::Init;
use std::cmp::Ordering;
use std::fmt::Write as _;

impl Summary {
    /// Which of the paper's findings hold in this study, in words: for the
    /// paper's three initializers, the early speed (epochs to 50% of the way
    /// to the ceiling), the plateau (final validation accuracy) and the
    /// spread across seeds. A study without all three gets one sentence
    /// saying which are missing. Descriptive only: `harness claims` tests
    /// them with pre-registered paired statistics. With fewer than
    /// [`super::MIN_SEEDS`] seeds each finding is "too few seeds to judge"
    /// (its numbers still shown).
    pub(crate) fn findings_text(&self) -> String {
        let paper = [Init::SMALL, Init::GlorotNormal, Init::HeNormal].map(InitSpec::from);
        let found = paper.clone().map(|spec| self.inits.iter().find(|i| i.init == spec));
        let [Some(small), Some(glorot), Some(he)] = found else {
            let missing: Vec<String> = paper
                .iter()
                .zip(found)
                .filter(|(_, f)| f.is_none())
                .map(|(spec, _)| spec.display_name())
                .collect();
            return format!(
                "None of the paper's four findings (Glorot fastest early, small normal slowest early, similar plateaus, spread narrowest for Glorot and widest for small normal) can be checked here: each compares small normal (σ = 0.01), Glorot normal and He normal, and this study has no {} runs.\n",
                missing.join(" or ")
            );
        };
        let trio = [small, glorot, he];
        let few = self
            .too_few_seeds()
            .map(|n| format!("too few seeds to judge (n < {} seeds per initializer: {n})", super::MIN_SEEDS));
        let judged = |verdict: &'static str| few.clone().unwrap_or_else(|| verdict.to_string());
        let name = |k: usize| trio[k].init.display_name();
        let d = self.acc_decimals;
        let mut s = String::new();

        // Early speed: the median with every run counted, a run that never
        // reached the threshold later than every epoch, so dropping failures
        // cannot make an initializer look fast.
        let medians = trio.map(|i| i.time_to[0].censored_median());
        let speeds: Vec<String> = (0..3)
            .map(|k| {
                let t = &trio[k].time_to[0];
                let m = medians[k];
                let m = if m.is_finite() { format!("{m}") } else { "beyond the last epoch".to_string() };
                format!("{m} for {}, reached by {} of {}", name(k), t.reached, t.reached + t.never)
            })
            .collect();
        let fastest = extremes(&medians, Ordering::Less);
        let slowest = extremes(&medians, Ordering::Greater);
        let _ = writeln!(
            s,
            "- Glorot improves fastest early: {} (median epochs to 50% of the way to the ceiling, a run that never reached it counted as later than every epoch: {}; fastest: {}).",
            judged(rank_verdict(&fastest, 1)),
            speeds.join("; "),
            names_of(&fastest, name)
        );
        let _ = writeln!(
            s,
            "- Small normal improves slowest early: {} (slowest by the same median: {}).",
            judged(rank_verdict(&slowest, 0)),
            names_of(&slowest, name)
        );

        let verdict = |ok: bool| judged(if ok { "holds here" } else { "does not hold here" });
        let means = trio.map(|i| i.final_val_acc.mean);
        let range = means.iter().copied().fold(f64::NEG_INFINITY, f64::max)
            - means.iter().copied().fold(f64::INFINITY, f64::min);
        let _ = writeln!(
            s,
            "- All three reach similar plateaus: {} (mean final validation accuracy {:.d$} for {}, {:.d$} for {}, {:.d$} for {}; largest difference {:.1} points, against a margin of 1 point).",
            verdict(range <= 0.01),
            means[0],
            name(0),
            means[1],
            name(1),
            means[2],
            name(2),
            100.0 * range
        );

        // Spread: the order of the standard deviations as shown, and a
        // Brown–Forsythe test of exactly these three initializers.
        let sd = trio.map(|i| rounded(i.final_val_acc.std, d));
        let ordered = sd[1] < sd[2] && sd[2] < sd[0];
        let sds = format!(
            "standard deviations {:.d$} for {}, {:.d$} for {}, {:.d$} for {}",
            sd[1],
            name(1),
            sd[2],
            name(2),
            sd[0],
            name(0)
        );
        let test = match few {
            Some(_) => None,
            None => stats::brown_forsythe(&trio.map(|i| i.final_val_accs.as_slice())),
        };
        let test_text = match test {
            Some(t) => format!(
                "a Brown–Forsythe test of these three inits {} (F({}, {}) = {:.3}, {})",
                if t.p_value < 0.05 { "finds that their spreads differ" } else { "cannot tell their spreads apart" },
                t.df1,
                t.df2,
                t.statistic,
                stats::format_p(t.p_value)
            ),
            None => "a Brown–Forsythe test of these three inits is not defined for these data (fewer than 2 runs each, or no variation)".to_string(),
        };
        let significant = test.is_some_and(|t| t.p_value < 0.05);
        let spread = match (ordered, significant) {
            _ if few.is_some() => format!("{} ({sds}; no test of spread)", judged("")),
            (true, true) => format!("holds here ({sds}), and {test_text}"),
            (true, false) => format!("holds in this sample ({sds}), but {test_text}"),
            (false, true) => format!("does not hold here ({sds}: not in that order), though {test_text}"),
            (false, false) => format!("does not hold here ({sds}: not in that order), and {test_text}"),
        };
        let _ = writeln!(
            s,
            "- Spread of final validation accuracy, Glorot narrowest, He moderate, small normal widest: {spread}."
        );
        s
    }
}

/// `x` as shown with `decimals` decimals (so that comparisons agree with
/// the printed numbers).
fn rounded(x: f64, decimals: usize) -> f64 {
    format!("{x:.decimals$}").parse().unwrap_or(x)
}

/// The indices whose key is the extreme one (`Ordering::Less`: the
/// smallest), in order; more than one is a tie.
fn extremes(keys: &[f64], which: Ordering) -> Vec<usize> {
    let mut best: Vec<usize> = Vec::new();
    for (k, key) in keys.iter().enumerate() {
        match best.first().map(|&b| key.total_cmp(&keys[b])) {
            None | Some(Ordering::Equal) => best.push(k),
            Some(o) if o == which => best = vec![k],
            Some(_) => {}
        }
    }
    best
}

/// Whether the paper's "`claimed` is first" holds given who is first.
fn rank_verdict(first: &[usize], claimed: usize) -> &'static str {
    match first {
        [only] if *only == claimed => "holds here",
        _ if first.contains(&claimed) => "undecided here (a tie)",
        _ => "does not hold here",
    }
}

/// The names of `ks`, "A and B, tied" for more than one.
fn names_of(ks: &[usize], name: impl Fn(usize) -> String) -> String {
    let names: Vec<String> = ks.iter().map(|&k| name(k)).collect();
    match names.len() {
        1 => names.join(""),
        _ => format!("{}, tied", names.join(" and ")),
    }
}

//! Initializer specifications: one initializer for every layer, or one with
//! per-layer exceptions (`he@1=glorot`: He everywhere, Glorot on layer 1),
//! with one machine name and one display name each.

use saorsa_nn::Init;

/// The display name of an initializer, used in every figure and table.
pub fn display_name(init: Init) -> String {
    match init {
        Init::SmallNormal { std } => format!("small normal (σ = {std})"),
        Init::GlorotNormal => "Glorot normal".into(),
        Init::HeNormal => "He normal".into(),
        Init::LeCunNormal => "LeCun normal".into(),
        Init::GlorotUniform => "Glorot uniform".into(),
        Init::HeUniform => "He uniform".into(),
        Init::GlorotTruncatedNormal => "Glorot truncated normal".into(),
        Init::HeTruncatedNormal => "He truncated normal".into(),
        Init::LeCunTruncatedNormal => "LeCun truncated normal".into(),
    }
}

/// The initializers of one run: `base` on every dense layer except those in
/// `overrides`, each `(layer, init)` with layers counted from 1 (the first
/// dense layer, whose fan-in is the data's features).
#[derive(Clone, Debug, PartialEq)]
pub struct InitSpec {
    /// The initializer of every layer not overridden.
    pub base: Init,
    /// Per-layer exceptions, sorted by layer, each layer at most once.
    pub overrides: Vec<(usize, Init)>,
}

impl From<Init> for InitSpec {
    fn from(base: Init) -> Self {
        InitSpec { base, overrides: Vec::new() }
    }
}

/// The names users know from other libraries, each with the machine name it stands for
/// (compared without case, and with a trailing `_` dropped: PyTorch's `kaiming_normal_`).
pub const ALIASES: [(&str, &str); 12] = [
    ("xavier", "glorot"),
    ("xavier_normal", "glorot"),
    ("glorot_normal", "glorot"),
    ("kaiming", "he"),
    ("kaiming_normal", "he"),
    ("he_normal", "he"),
    ("lecun_normal", "lecun"),
    ("xavier_uniform", "glorot_uniform"),
    ("kaiming_uniform", "he_uniform"),
    ("small_normal", "small"),
    ("normal", "small"),
    ("truncated_normal", "glorot_truncated"),
];

/// The initializer `name` names: a machine name ([`Init::name`]) or an alias ([`ALIASES`]), in
/// any case.
///
/// # Errors
/// An unknown name, with the known ones and the nearest of them (edit distance).
pub fn init_named(name: &str) -> Result<Init, String> {
    let lower = name.trim().to_lowercase();
    let key = lower.strip_suffix('_').unwrap_or(&lower);
    let machine = ALIASES.iter().find(|(alias, _)| *alias == key).map_or(key, |(_, m)| m);
    Init::from_name(machine).ok_or_else(|| {
        let known: Vec<&str> = Init::ALL.iter().map(Init::name).collect();
        let candidates = known.iter().copied().chain(ALIASES.iter().map(|(a, _)| *a));
        let hint = nearest(key, candidates).map_or(String::new(), |n| format!("; did you mean `{n}`?"));
        format!("unknown initializer `{}` (known: {}){hint}", crate::error::quote(name), known.join(", "))
    })
}

/// The candidate nearest to `word` by edit distance, if it is near enough to be a typo (at most a
/// third of its length, and at most 3 edits).
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, c)| (d, c))
        .map(|(_, c)| c)
}

impl InitSpec {
    /// Parses `NAME` or `NAME@L=NAME@L=NAME…`: the first name is every
    /// layer's initializer, each `@L=NAME` replaces it on layer `L`
    /// (counted from 1).
    pub fn parse(s: &str) -> Result<InitSpec, String> {
        let mut parts = s.trim().split('@');
        let base = init_named(parts.next().unwrap_or("").trim())?;
        let mut overrides = Vec::new();
        for part in parts {
            let (layer, name) = part
                .split_once('=')
                .ok_or_else(|| format!("`@{part}`: expected @LAYER=NAME, e.g. he@1=glorot"))?;
            let layer: usize = layer
                .trim()
                .parse()
                .ok()
                .filter(|&l| l >= 1)
                .ok_or_else(|| format!("`@{part}`: the layer must be a number from 1"))?;
            if overrides.iter().any(|&(l, _)| l == layer) {
                return Err(format!("layer {layer} is given twice in `{s}`"));
            }
            overrides.push((layer, init_named(name.trim())?));
        }
        overrides.sort_by_key(|&(l, _)| l);
        Ok(InitSpec { base, overrides })
    }

    /// The machine name, in the syntax [`InitSpec::parse`] reads: `he`, or
    /// `he@1=glorot` (exceptions in layer order). Used in file names and CSV
    /// columns.
    pub fn name(&self) -> String {
        let mut s = self.base.name().to_string();
        for (l, i) in &self.overrides {
            s.push_str(&format!("@{l}={}", i.name()));
        }
        s
    }

    /// The display name: "He normal", or "He normal; Glorot normal on layer 1".
    pub fn display_name(&self) -> String {
        let mut s = display_name(self.base);
        for (l, i) in &self.overrides {
            s.push_str(&format!("; {} on layer {l}", display_name(*i)));
        }
        s
    }

    /// The initializer of each of `layers` dense layers.
    ///
    /// Errors: an exception names a layer beyond the network's.
    pub fn per_layer(&self, layers: usize) -> Result<Vec<Init>, String> {
        let mut out = vec![self.base; layers];
        for &(l, init) in &self.overrides {
            if l > layers {
                return Err(format!(
                    "`{}`: layer {l}, but the network has {layers} dense layers",
                    self.name()
                ));
            }
            out[l - 1] = init;
        }
        Ok(out)
    }
}

/// Parses a comma-separated list of [`InitSpec`]s, each given once.
pub fn parse_list(s: &str) -> Result<Vec<InitSpec>, String> {
    let mut out: Vec<InitSpec> = Vec::new();
    for item in s.split(',') {
        let spec = InitSpec::parse(item)?;
        if out.contains(&spec) {
            return Err(format!("`{}` given twice", spec.name()));
        }
        out.push(spec);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_and_name_themselves() {
        let s = InitSpec::parse(" he@3=small@1=glorot ").unwrap();
        assert_eq!(s.base, Init::HeNormal);
        assert_eq!(s.overrides, vec![(1, Init::GlorotNormal), (3, Init::SMALL)]);
        assert_eq!(s.name(), "he@1=glorot@3=small");
        assert_eq!(InitSpec::parse(&s.name()).unwrap(), s);
        assert_eq!(
            s.display_name(),
            "He normal; Glorot normal on layer 1; small normal (σ = 0.01) on layer 3"
        );
        assert_eq!(
            s.per_layer(4).unwrap(),
            vec![Init::GlorotNormal, Init::HeNormal, Init::SMALL, Init::HeNormal]
        );
        assert!(s.per_layer(2).unwrap_err().contains("layer 3, but the network has 2"));
        assert_eq!(InitSpec::parse("glorot").unwrap().name(), "glorot");
    }

    #[test]
    fn bad_specs_are_errors() {
        for (s, text) in [
            ("", "unknown initializer ``"),
            ("hee", "unknown initializer `hee`"),
            ("he@1", "expected @LAYER=NAME"),
            ("he@0=glorot", "a number from 1"),
            ("he@x=glorot", "a number from 1"),
            ("he@1=glorot@1=he", "layer 1 is given twice"),
            ("he@2=nope", "unknown initializer `nope`"),
        ] {
            let e = InitSpec::parse(s).unwrap_err();
            assert!(e.contains(text), "{s}: {e}");
        }
        assert!(parse_list("he,glorot,he").unwrap_err().contains("`he` given twice"));
        assert_eq!(parse_list("he,he@1=glorot").unwrap().len(), 2);
    }
}

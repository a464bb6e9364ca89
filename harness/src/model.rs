//! One network trained on a caller's arrays, as the study trains each of its runs: the core's
//! run-time trainer ([`crate::study::StudyTrainer`], micro-batches of [`MICRO_BATCH`], room for
//! the transposed weights), initialized layer by layer from one model seed, Adam with the
//! framework's defaults but the learning rate, and per-epoch metrics from the forward pass before
//! each epoch's update. The same shape, initializers, seed, data and settings give the same bits
//! as the study's run (`runs/<init>/seed-<k>/final.bin`). Front ends that take arrays (Python)
//! call this; it knows nothing of files but the checkpoint format.
//!
//! # Examples
//! ```
//! use harness::inits::InitSpec;
//! use harness::model::{Arrays, FitOptions, Model};
//! use saorsa_nn::Shape;
//!
//! // Four points of two classes, a 2 → 8 → 2 network, He-normal weights from seed 0.
//! let x = [0.0f32, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0];
//! let y = [0u8, 1, 1, 0];
//! let mut model = Model::new(Shape::new(&[2, 8, 2])?, &InitSpec::parse("he").unwrap(), 0)?;
//! let options = FitOptions { epochs: 20, ..FitOptions::default() };
//! let history = model.fit(Arrays { x: &x, y: &y }, None, &options, &mut |_| true)?;
//! assert_eq!(history.train.len(), 20);
//! assert!(history.train[19].loss < history.train[0].loss);
//! let p = model.predict_proba(&x)?;
//! assert_eq!(p.len(), 4 * 2);
//! # Ok::<(), harness::error::Error>(())
//! ```

use crate::config::{MAX_EPOCHS, MAX_LEARNING_RATE, MICRO_BATCH};
use crate::error::{Error, Result, number};
use crate::inits::InitSpec;
use crate::study::{self, StudyTrainer};
use saorsa_nn::{Adam, Batching, Metrics, Network, NetworkTrainer, Samples, Shape};
use std::num::NonZeroUsize;
use std::path::Path;

/// Samples as a caller holds them: `x` row-major (`y.len()` rows of the network's inputs), `y`
/// class labels.
#[derive(Clone, Copy, Debug)]
pub struct Arrays<'a> {
    /// Features, row-major.
    pub x: &'a [f32],
    /// Labels, `0..classes`.
    pub y: &'a [u8],
}

/// How [`Model::fit`] trains; the defaults are the paper's (250 full-batch epochs, learning rate
/// 0.001).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FitOptions {
    /// Epochs to train.
    pub epochs: usize,
    /// Adam's learning rate (β1 0.9, β2 0.999, ε 1e-7, as the study's).
    pub learning_rate: f64,
    /// Samples per optimizer step; `None` is full batch (one step per epoch).
    pub batch_size: Option<NonZeroUsize>,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            epochs: saorsa_nn::paper::EPOCHS,
            learning_rate: saorsa_nn::paper::ADAM.learning_rate,
            batch_size: None,
        }
    }
}

impl FitOptions {
    /// Checks the options as [`crate::config::StudyConfig::validate`] checks the same fields.
    ///
    /// # Errors
    /// [`Error::Config`] naming `epochs` or `learning_rate`.
    pub fn validate(&self) -> Result<()> {
        if !(1..=MAX_EPOCHS).contains(&self.epochs) {
            return Err(Error::config("epochs", format!("{} must lie in 1..={MAX_EPOCHS}", self.epochs)));
        }
        let lr = self.learning_rate;
        if self.adam().validate().is_err() || lr.is_nan() || lr > MAX_LEARNING_RATE {
            return Err(Error::config(
                "learning_rate",
                format!(
                    "{} must be > 0 (also once rounded to f32: at least about 7.1e-46) and at most 1000",
                    number(lr)
                ),
            ));
        }
        Ok(())
    }

    fn adam(&self) -> Adam {
        Adam::with_learning_rate(self.learning_rate)
    }
}

/// Why [`Model::fit`] ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// Every epoch asked for was trained.
    Finished,
    /// The caller's check between epochs said stop (Ctrl-C, say).
    Stopped,
    /// An epoch's loss or update would not have been finite: that step was not taken, and the
    /// network keeps the weights of the last finished epoch (with mini-batches, the steps of the
    /// failing epoch before it stay applied).
    Diverged,
}

/// What [`Model::fit`] recorded, one entry per finished epoch.
#[derive(Clone, Debug, PartialEq)]
pub struct History {
    /// Training loss and accuracy of each epoch, from the forward passes before its updates.
    pub train: Vec<Metrics>,
    /// Validation loss and accuracy before each epoch's update (empty without validation data).
    pub val: Vec<Metrics>,
    /// Per epoch, per dense layer, `‖W_after − W_before‖_F / ‖W_before‖_F`
    /// ([`study::relative_change`]).
    pub update_size: Vec<Vec<f64>>,
    /// Why training ended.
    pub end: End,
}

/// The number of classes a set of labels implies: the largest label plus one, and at least 2
/// (the rule of a CSV file's data, [`crate::dataset::Data::classes`]).
pub fn classes_of(labels: &[u8]) -> usize {
    labels.iter().copied().max().map_or(2, |m| (usize::from(m) + 1).max(2))
}

/// Parses widths joined by `-` (`2-64-64-64-2`) or `,` (`64,64,64`).
///
/// # Errors
/// A width that is not a whole number.
pub fn parse_widths(s: &str) -> std::result::Result<Vec<usize>, String> {
    s.split(['-', ','])
        .map(|w| w.trim().parse::<usize>())
        .collect::<std::result::Result<_, _>>()
        .map_err(|_| format!("`{}`: expected widths like 2-64-64-64-2", crate::error::quote(s)))
}

/// A network and its optimizer's state, trained on a caller's arrays ([`Model::fit`]).
#[derive(Clone, Debug)]
pub struct Model {
    trainer: StudyTrainer,
}

impl Model {
    /// A network of `shape` whose layer `k` is initialized by `init`'s initializer of that layer
    /// from model seed `seed` (one stream in layer order, as the study's runs), Adam's moments
    /// zero.
    ///
    /// # Errors
    /// [`Error::Config`] naming `init` when it sets a layer the network does not have.
    pub fn new(shape: Shape, init: &InitSpec, seed: u64) -> Result<Model> {
        let inits = init.per_layer(shape.layers()).map_err(|e| Error::config("init", e))?;
        let mut trainer = trainer(shape);
        trainer.init_layers_from_seed(&inits, seed).map_err(|e| Error::config("init", e.to_string()))?;
        Ok(Model { trainer })
    }

    /// The network a checkpoint holds, Adam's moments zero.
    ///
    /// # Errors
    /// [`Error::Core`] for bytes that are not one whole, intact checkpoint.
    pub fn from_checkpoint(bytes: &[u8]) -> Result<Model> {
        let shape = saorsa_nn::checkpoint::read_shape(bytes)?;
        let mut trainer = trainer(shape);
        trainer.decode_checkpoint(bytes)?;
        Ok(Model { trainer })
    }

    /// The final network of a study's run `init`, `seed` in the results folder `dir`
    /// ([`crate::results::final_model`]: checked to be of the study's shape).
    ///
    /// # Errors
    /// An unreadable or damaged folder or checkpoint.
    pub fn from_run(dir: &Path, init: &InitSpec, seed: u64) -> Result<Model> {
        let (config, _, _) = crate::results::load_inputs(dir)?;
        let net = crate::results::final_model(dir, init, seed, &config.shape)?;
        Model::from_checkpoint(&study::checkpoint(&Network::new(config.shape, net.parameters())?))
    }

    /// The network's shape.
    pub fn shape(&self) -> &Shape {
        self.trainer.shape()
    }

    /// The network.
    pub fn network(&self) -> Network<&[f32]> {
        self.trainer.network()
    }

    /// The network's checkpoint ([`saorsa_nn::checkpoint`]), the bytes of a study run's
    /// `final.bin`.
    pub fn checkpoint(&self) -> Vec<u8> {
        study::checkpoint(&self.network())
    }

    /// Optimizer steps taken since the network was made or read.
    pub fn steps(&self) -> u64 {
        self.trainer.steps()
    }

    /// Checks `data` against the network and wraps it as the core's samples.
    fn samples<'a>(&self, what: &'static str, data: Arrays<'a>) -> Result<Samples<'a>> {
        let (inputs, classes) = (self.shape().inputs(), self.shape().classes());
        if !data.x.len().is_multiple_of(inputs) {
            return Err(Error::config(
                what,
                format!("{} values are not whole rows of the network's {inputs} inputs", data.x.len()),
            ));
        }
        Samples::new(data.x, data.y, inputs, classes).map_err(|e| match e {
            saorsa_nn::Error::LabelOutOfRange { index, label } => Error::config(
                what,
                format!(
                    "sample {index} has label {label}, but the network has {classes} classes (labels 0 to {})",
                    classes - 1
                ),
            ),
            e => Error::config(what, e.to_string()),
        })
    }

    /// Trains `options.epochs` epochs on `train`, as a study run trains: each epoch evaluates
    /// `val` (if given) and then trains, both recorded from the weights before the epoch's
    /// update. Adam's moments carry over from an earlier call (its learning rate is set anew).
    /// `between(k)` is called before each epoch with the number of epochs done: `false` stops
    /// training there ([`End::Stopped`]); every recorded epoch is whole.
    ///
    /// # Errors
    /// [`Error::Config`] naming `epochs`, `learning_rate`, `x` or `validation_data` (a shape,
    /// label or non-finite value the network cannot take), before anything is trained.
    pub fn fit(
        &mut self,
        train: Arrays<'_>,
        val: Option<Arrays<'_>>,
        options: &FitOptions,
        between: &mut dyn FnMut(usize) -> bool,
    ) -> Result<History> {
        options.validate()?;
        let train = self.samples("x", train)?;
        let val = val.map(|v| self.samples("validation_data", v)).transpose()?;
        let batching = options.batch_size.map_or(Batching::Full, Batching::MiniBatch);
        self.trainer.set_adam(options.adam()).map_err(|e| Error::config("learning_rate", e.to_string()))?;
        let mut history = History {
            train: Vec::with_capacity(options.epochs),
            val: Vec::with_capacity(if val.is_some() { options.epochs } else { 0 }),
            update_size: Vec::with_capacity(options.epochs),
            end: End::Finished,
        };
        let mut before = self.trainer.parameters().to_vec();
        for done in 0..options.epochs {
            if !between(done) {
                history.end = End::Stopped;
                break;
            }
            let v = val.as_ref().map(|v| self.trainer.evaluate(v)).transpose()?;
            let Ok(t) = self.trainer.train_epoch(&train, batching) else {
                history.end = End::Diverged;
                break;
            };
            history.train.push(t);
            history.val.extend(v);
            let net = self.trainer.network();
            let was = Network::new(self.shape().clone(), &before[..])?;
            let sizes =
                was.layers().zip(net.layers()).map(|(b, a)| study::relative_change(b.weights, a.weights));
            history.update_size.push(sizes.collect());
            before.copy_from_slice(net.parameters());
        }
        Ok(history)
    }

    /// Mean loss and accuracy on `data` (the metrics a study records).
    ///
    /// # Errors
    /// [`Error::Config`] naming `x` for data the network cannot take.
    pub fn evaluate(&mut self, data: Arrays<'_>) -> Result<Metrics> {
        let samples = self.samples("x", data)?;
        Ok(self.trainer.evaluate(&samples)?)
    }

    /// Class probabilities (softmax of the logits) of the rows of `x`, row-major
    /// (`rows × classes`).
    ///
    /// # Errors
    /// [`Error::Config`] naming `x` when it is not whole rows of the network's inputs or holds a
    /// value that is not finite.
    pub fn predict_proba(&self, x: &[f32]) -> Result<Vec<f32>> {
        let (inputs, classes) = (self.shape().inputs(), self.shape().classes());
        if !x.len().is_multiple_of(inputs) {
            return Err(Error::config(
                "x",
                format!("{} values are not whole rows of the network's {inputs} inputs", x.len()),
            ));
        }
        if let Some(k) = x.iter().position(|v| !v.is_finite()) {
            let e = saorsa_nn::Error::NonFiniteInput { index: k / inputs };
            return Err(Error::config("x", e.to_string()));
        }
        const CHUNK: usize = 256;
        let net = self.network();
        let mut scratch = vec![0.0f32; self.shape().evaluation_scratch_len(CHUNK)];
        let mut p = vec![0.0f32; x.len() / inputs * classes];
        for (rows, z) in x.chunks(CHUNK * inputs).zip(p.chunks_mut(CHUNK * classes)) {
            net.logits(rows, &mut scratch, z)?;
        }
        saorsa_nn::kernels::softmax_rows(&mut p, classes);
        Ok(p)
    }

    /// The predicted class of each row of `x`: the first largest probability (NumPy's `argmax`,
    /// the rule of the accuracy the study records).
    ///
    /// # Errors
    /// Those of [`Model::predict_proba`].
    pub fn predict(&self, x: &[f32]) -> Result<Vec<u8>> {
        let classes = self.shape().classes();
        let p = self.predict_proba(x)?;
        Ok(p.chunks_exact(classes)
            .map(|row| {
                let mut best = 0;
                for (j, &v) in row.iter().enumerate().skip(1) {
                    if v > row[best] {
                        best = j;
                    }
                }
                best as u8
            })
            .collect())
    }
}

/// A study's trainer of `shape`, zeroed.
fn trainer(shape: Shape) -> StudyTrainer {
    let arena = study::arena_for(&shape);
    NetworkTrainer::new(shape, MICRO_BATCH, arena).expect("the arena is sized by the shape")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::StudyConfig;
    use crate::study::{Splits, make_splits, run_one};

    fn arrays(d: &crate::dataset::Data) -> Arrays<'_> {
        Arrays { x: &d.x, y: &d.y }
    }

    fn paper_run(init: &str, epochs: usize) -> (StudyConfig, Splits, InitSpec) {
        let config = StudyConfig { epochs, ..StudyConfig::default() };
        let splits = make_splits(&config).unwrap();
        (config, splits, InitSpec::parse(init).unwrap())
    }

    /// A model fitted on the study's split gives the study's run, bit for bit: its checkpoint,
    /// its per-epoch metrics and update sizes.
    #[test]
    fn fit_is_the_study_run() {
        let (config, splits, init) = paper_run("he@1=glorot", 12);
        let run = run_one(&config, &splits, &init, 3, &mut |_, _| {});
        let mut model = Model::new(config.shape.clone(), &init, 3).unwrap();
        assert_eq!(model.checkpoint(), run.initial);
        let options = FitOptions { epochs: 12, ..FitOptions::default() };
        let h = model.fit(arrays(&splits.train), Some(arrays(&splits.val)), &options, &mut |_| true).unwrap();
        assert_eq!(h.end, End::Finished);
        assert_eq!(model.checkpoint(), run.last);
        assert_eq!(h.update_size, run.update_size);
        for (k, e) in run.epochs.iter().enumerate() {
            assert_eq!((h.train[k].loss, h.train[k].accuracy), (e.train_loss, e.train_acc));
            assert_eq!((h.val[k].loss, h.val[k].accuracy), (e.val_loss, e.val_acc));
        }
        // Stopped before the fourth epoch: three whole epochs.
        let mut again = Model::new(config.shape.clone(), &init, 3).unwrap();
        let h = again.fit(arrays(&splits.train), None, &options, &mut |done| done < 3).unwrap();
        assert_eq!((h.end, h.train.len(), h.val.len(), again.steps()), (End::Stopped, 3, 0, 3));
    }

    #[test]
    fn bad_input_is_an_error_naming_it() {
        let mut m =
            Model::new(Shape::new(&[2, 4, 3]).unwrap(), &InitSpec::parse("glorot").unwrap(), 0).unwrap();
        let x = [0.0f32, 1.0, f32::NAN, 0.0];
        let fit = |m: &mut Model, x: &[f32], y: &[u8], o: FitOptions| {
            m.fit(Arrays { x, y }, None, &o, &mut |_| true).unwrap_err().to_string()
        };
        let o = FitOptions::default();
        assert_eq!(fit(&mut m, &x, &[0, 1], o), "x: sample 1 is not finite");
        assert_eq!(
            fit(&mut m, &x[..3], &[0, 1], o),
            "x: 3 values are not whole rows of the network's 2 inputs"
        );
        assert_eq!(fit(&mut m, &x, &[0, 1, 1], o), "x: 2 samples but 3 labels");
        let e = fit(&mut m, &[0.0; 4], &[0, 3], o);
        assert_eq!(e, "x: sample 1 has label 3, but the network has 3 classes (labels 0 to 2)");
        assert!(
            fit(&mut m, &[0.0; 4], &[0, 1], FitOptions { epochs: 0, ..o }).starts_with("epochs: 0 must lie")
        );
        let lr = FitOptions { learning_rate: -1.0, ..o };
        assert!(fit(&mut m, &[0.0; 4], &[0, 1], lr).starts_with("learning_rate: -1 must be > 0"));
        assert!(m.predict_proba(&x).unwrap_err().to_string().contains("sample 1 is not finite"));
        assert!(m.predict(&x[..3]).unwrap_err().to_string().contains("3 values are not whole rows"));
        let deep = InitSpec::parse("he@3=glorot").unwrap();
        let e = Model::new(Shape::new(&[2, 4, 3]).unwrap(), &deep, 0).unwrap_err().to_string();
        assert_eq!(e, "init: `he@3=glorot`: layer 3, but the network has 2 dense layers");
        assert_eq!(m.steps(), 0, "nothing was trained");
    }

    #[test]
    fn predictions_are_the_softmax_and_its_first_argmax() {
        let m = Model::new(Shape::new(&[2, 4, 3]).unwrap(), &InitSpec::parse("he").unwrap(), 1).unwrap();
        let x: Vec<f32> = (0..600).map(|k| (k % 17) as f32 / 4.0 - 2.0).collect();
        let p = m.predict_proba(&x).unwrap();
        let c = m.predict(&x).unwrap();
        for (row, &class) in p.chunks_exact(3).zip(&c) {
            assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-5);
            assert!(row.iter().all(|&v| v <= row[usize::from(class)]));
        }
        // The same probabilities, one row at a time (the chunk does not change a sample's bits).
        let one: Vec<f32> = x.chunks(2).flat_map(|r| m.predict_proba(r).unwrap()).collect();
        assert_eq!(one, p);
        let back = Model::from_checkpoint(&m.checkpoint()).unwrap();
        assert_eq!(back.predict_proba(&x).unwrap(), p);
        assert_eq!((classes_of(&[]), classes_of(&[0, 0]), classes_of(&[4, 1])), (2, 2, 5));
        assert_eq!(parse_widths("2-64-64-64-2").unwrap(), [2, 64, 64, 64, 2]);
        assert_eq!(parse_widths(" 64, 64 ").unwrap(), [64, 64]);
        assert!(parse_widths("2-x").is_err());
    }
}

//! `run_record`: a run's record (`record.csv`) and a `--shard` value, as a
//! merge or a resumed shard reads them from shared storage, on arbitrary
//! bytes.

use harness::inits::InitSpec;
use harness::jobs::{parse_record, record_bytes};
use harness::record::{Record, RecordWriter};
use harness::shard::{MAX_SHARDS, Shard};

/// Properties: no panic. [`Record::parse`] of the raw bytes refuses any
/// input whose last line is not the CRC-32 of the rest. The bytes sealed
/// with their CRC row parse; the study's decoding ([`parse_record`]) of
/// them never panics, and a run it accepts is written back
/// ([`record_bytes`]) to a record it accepts again with the same bits.
/// [`Shard::parse`] of the bytes as text (with Slurm's variables set from
/// them too) gives an index below a count of 1 to [`MAX_SHARDS`], or an
/// error.
pub fn run_record(bytes: &[u8]) {
    if let Ok(r) = Record::parse(bytes) {
        let _ = r.values("run");
    }
    let mut sealed = bytes.to_vec();
    if !sealed.is_empty() && !sealed.ends_with(b"\n") {
        sealed.push(b'\n');
    }
    sealed.extend_from_slice(format!("crc32,{:08x}\n", saorsa_nn::crc32(&sealed)).as_bytes());
    let record = Record::parse(&sealed);
    if let Ok(record) = &record {
        let init = record
            .values("run")
            .and_then(|v| v.first())
            .and_then(|name| InitSpec::parse(name).ok())
            .unwrap_or_else(|| InitSpec::parse("he").expect("a valid init"));
        let crc = record
            .values("config_crc32")
            .and_then(|v| v.first())
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .unwrap_or(0);
        let seed = record.values("run").and_then(|v| v.get(1)).and_then(|s| s.parse().ok()).unwrap_or(0);
        if let Ok(run) = parse_record(record, &init, seed, crc) {
            let again = Record::parse(&record_bytes(&run, crc)).expect("a written record parses");
            let back = parse_record(&again, &init, seed, crc).expect("a written record decodes");
            let bits = |r: &harness::study::RunResult| {
                let mut v: Vec<u64> = Vec::new();
                for e in &r.epochs {
                    v.extend(
                        [e.train_loss, e.train_acc, e.val_loss, e.val_acc].map(|x| u64::from(x.to_bits())),
                    );
                }
                v.extend(r.update_size.iter().flatten().map(|x| x.to_bits()));
                v.extend(
                    [r.final_train_loss, r.final_train_acc, r.final_val_loss, r.final_val_acc]
                        .map(|x| u64::from(x.to_bits())),
                );
                v
            };
            assert_eq!(bits(&back), bits(&run), "a record written back decodes to other bits");
            assert_eq!(back.error, run.error);
        }
    }
    // A writer's record always parses.
    let mut w = RecordWriter::new();
    w.row("bytes", bytes.iter());
    Record::parse(&w.finish()).expect("a written record parses");
    let text = String::from_utf8_lossy(bytes);
    let env = |name: &str| match name {
        "SLURM_ARRAY_TASK_ID" | "JOB_COMPLETION_INDEX" => text.split('/').next().map(str::to_string),
        "SLURM_ARRAY_TASK_COUNT" => text.split('/').nth(1).map(str::to_string),
        _ => None,
    };
    for candidate in [text.as_ref(), "auto", "auto/3"] {
        if let Ok(s) = Shard::parse(candidate, &env) {
            assert!(s.count >= 1 && s.count <= MAX_SHARDS && s.index < s.count, "{candidate}: {s:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_whole_record_decodes_and_round_trips() {
        let bytes =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/regressions/run_record/whole-record"))
                .unwrap();
        let r = harness::record::Record::parse(&bytes).expect("a whole record");
        let init = harness::inits::InitSpec::parse(&r.values("run").unwrap()[0]).unwrap();
        let seed = r.values("run").unwrap()[1].parse().unwrap();
        let crc = u32::from_str_radix(&r.values("config_crc32").unwrap()[0], 16).unwrap();
        let run = harness::jobs::parse_record(&r, &init, seed, crc).expect("it decodes");
        assert_eq!(run.epochs.len(), 250);
        // The property check itself, on the record with its own CRC row cut.
        let body = &bytes[..bytes.len() - "crc32,00000000\n".len()];
        super::run_record(body);
    }
}

//! Writes a deterministic corpus of synthetic SMTP TLS reports (RFC 8460), for benchmarks and
//! load tests: see `corpus/src/lib.rs` and docs/corpus.md.
//!
//! ```text
//! cargo run --release --example make_corpus -- --reports N --out DIR
//!     [--domains 20] [--days 90] [--seed 1] [--formats files,mbox,zip]
//! ```

fn main() {
    let args = match tlsrpt_corpus::parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    if let Err(error) = tlsrpt_corpus::run(args) {
        eprintln!("make_corpus: {error}");
        std::process::exit(1);
    }
}

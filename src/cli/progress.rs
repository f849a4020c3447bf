//! A progress line on standard error while inputs are read, when it is a terminal; nothing
//! otherwise (cron, pipes and logs get only the summary lines).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// The inputs read so far, of `total`.
pub fn inputs(total: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{pos}/{len} inputs [{elapsed}] {wide_bar} {msg}")
    {
        bar.set_style(style);
    }
    bar
}

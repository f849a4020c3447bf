//! Today's date, as the session judges report dates against it: from the system clock
//! natively, from the browser's clock in the worker. Tests and `summarize --today` set it.

use chrono::{Days, NaiveDate};

/// Today's UTC date.
pub fn today() -> NaiveDate {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    epoch
        .checked_add_days(Days::new(seconds_since_epoch() / 86_400))
        .unwrap_or(epoch)
}

#[cfg(target_arch = "wasm32")]
fn seconds_since_epoch() -> u64 {
    (js_sys::Date::now() / 1000.0).max(0.0) as u64
}

#[cfg(not(target_arch = "wasm32"))]
fn seconds_since_epoch() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

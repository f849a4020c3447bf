//! The load loop: the files the page sent are ingested one by one, a step at a time (a
//! message of a mailbox, an entry of an archive), and added to the session. Every few
//! milliseconds the loop yields, so that Cancel, Clear, more files and the page's requests
//! are heard; progress goes out every 100 ms, figures every 400 ms, and the diagnosis runs
//! when its cost stays a small share of the load.

use super::{drop_queue, post, post_model, post_progress, stopped_text, with, Job};
use crate::engine::model::FromWorker;
use crate::ingest::{IngestJob, IngestNode};
use crate::text::thousands;
use gloo::timers::future::TimeoutFuture;

/// Work between two yields to the message queue.
const SLICE_MS: f64 = 20.0;
const PROGRESS_EVERY_MS: f64 = 100.0;
const FIGURES_EVERY_MS: f64 = 400.0;

/// Why a load stopped early.
enum Stop {
    /// Clear: the session this load fed is gone.
    Cleared,
    /// Cancel: what was read is kept.
    Cancelled,
}

struct Clock {
    slice: f64,
    /// Since when the worker has been working (not waiting, posting or yielding), by
    /// `performance.now()`.
    work_from: f64,
    progress: f64,
    figures: f64,
    /// When the diagnosis may run next, and what it cost last time.
    diagnosis: f64,
}

impl Clock {
    fn new() -> Self {
        let now = js_sys::Date::now();
        Clock {
            slice: now,
            work_from: precise_now(),
            progress: now,
            figures: now,
            diagnosis: now + 1000.0,
        }
    }
}

/// `performance.now()`: `Date.now()` counts whole milliseconds, too coarse to add up.
fn precise_now() -> f64 {
    use wasm_bindgen::JsCast;
    js_sys::global()
        .unchecked_into::<web_sys::WorkerGlobalScope>()
        .performance()
        .map_or_else(js_sys::Date::now, |performance| performance.now())
}

/// Counts the work since `clock.work_from` as the load's own work.
fn count_work(clock: &mut Clock) {
    let now = precise_now();
    with(|w| w.progress.work_ms += now - clock.work_from);
    clock.work_from = now;
}

/// Runs the diagnosis of the domains changed so far, and counts its time.
fn diagnose() {
    let start = precise_now();
    with(|w| {
        w.session.diagnose();
        w.progress.diagnosis_ms += precise_now() - start;
    });
}

/// Reports the diagnosis looks at per batch when it must answer the page in between.
pub const DIAGNOSIS_BATCH: usize = 2_000;

/// Runs the diagnosis of some changed domains, and counts its time; true while some remain.
fn diagnose_some() -> bool {
    let start = precise_now();
    with(|w| {
        let pending = w.session.diagnose_some(DIAGNOSIS_BATCH);
        w.progress.diagnosis_ms += precise_now() - start;
        pending
    })
}

/// Reads every queued job, until the queue is empty or the load is stopped.
pub async fn load(epoch: u64) {
    let mut clock = Clock::new();
    let outcome = loop {
        let job = with(|w| {
            if w.epoch != epoch {
                return Err(Stop::Cleared);
            }
            if w.cancel {
                return Err(Stop::Cancelled);
            }
            Ok(w.queue.pop_front().map(Some).unwrap_or_else(|| {
                // More files are on their way from the page: wait for them.
                (!w.expected.is_empty()).then_some(Job::Waiting)
            }))
        });
        let result = match job {
            Err(stop) => Err(stop),
            Ok(None) => break Ok(()),
            Ok(Some(Job::Waiting)) => {
                count_work(&mut clock);
                TimeoutFuture::new(2).await;
                clock.work_from = precise_now();
                pause(epoch, &mut clock).await
            }
            Ok(Some(Job::Bundled(files))) => {
                let mut result = Ok(());
                for (name, bytes) in files {
                    result = ingest(epoch, &name, bytes, &mut clock).await;
                    if result.is_err() {
                        break;
                    }
                    file_done(bytes.len() as u64);
                    if js_sys::Date::now() - clock.slice > SLICE_MS {
                        result = pause(epoch, &mut clock).await;
                        if result.is_err() {
                            break;
                        }
                    }
                }
                result
            }
            Ok(Some(Job::Files(files))) => read_files(epoch, files, &mut clock).await,
        };
        if let Err(stop) = result {
            break Err(stop);
        }
    };
    count_work(&mut clock);
    match outcome {
        Err(Stop::Cleared) => {}
        Ok(()) | Err(Stop::Cancelled) => {
            let (stopped, next) = with(|w| {
                let stopped = w
                    .cancel
                    .then(|| stopped_text(&w.progress, w.session.set().reports.len()));
                w.cancel = false;
                w.running = None;
                // Loads announced while this one was stopping start now.
                let next = stopped.is_some() && (!w.queue.is_empty() || !w.expected.is_empty());
                if !next {
                    drop_queue(w);
                }
                (stopped, next)
            });
            // The figures first: when the page hears that no load runs, it has them.
            post_model();
            post_progress(None);
            if let Some(text) = stopped {
                post(&FromWorker::Stopped { text });
            }
            if next {
                let (files, bytes) = with(|w| std::mem::take(&mut w.after_cancel));
                super::start(files, bytes, None);
                return;
            }
            TimeoutFuture::new(0).await;
            let (current, this_load) = with(|w| (w.epoch == epoch && w.running.is_none(), w.loads));
            if current {
                // The last diagnosis in batches, answering the page between them: a filter
                // chosen as the figures become final does not wait for every domain.
                while diagnose_some() {
                    TimeoutFuture::new(0).await;
                    // Cleared, or another load started meanwhile (running, or already ended):
                    // these figures are no longer this load's last (the other load ends with
                    // its own `Finished`).
                    if with(|w| w.epoch != epoch || w.loads != this_load) {
                        return;
                    }
                }
                post_model();
                let load = with(|w| {
                    w.progress.elapsed_ms = js_sys::Date::now() - w.started_at;
                    w.progress.reports = w.session.set().reports.len();
                    w.progress.clone()
                });
                post(&FromWorker::Finished { load });
            }
        }
    }
}

/// Ingests the files the page read, one by one.
async fn read_files(
    epoch: u64,
    files: Vec<(String, Result<js_sys::ArrayBuffer, String>)>,
    clock: &mut Clock,
) -> Result<(), Stop> {
    let mut files = files.into_iter();
    while let Some((name, content)) = files.next() {
        let result = read_file(epoch, name, content, clock).await;
        if result.is_err() {
            // Stopped: the rest of this batch is dropped, and counted as taken.
            let rest: u64 = files
                .filter_map(|(_, content)| content.ok())
                .map(|buffer| u64::from(buffer.byte_length()))
                .sum();
            with(|w| w.consumed += rest);
            return result;
        }
    }
    Ok(())
}

/// Ingests one file the page read (or records why it could not be read).
async fn read_file(
    epoch: u64,
    name: String,
    content: Result<js_sys::ArrayBuffer, String>,
    clock: &mut Clock,
) -> Result<(), Stop> {
    match content {
        Ok(buffer) => {
            // The one copy: from the buffer the page moved here into this worker's memory.
            let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
            drop(buffer);
            with(|w| w.consumed += bytes.len() as u64);
            ingest(epoch, &name, &bytes, clock).await?;
            file_done(bytes.len() as u64);
        }
        Err(reason) => {
            add(epoch, IngestNode::rejected_file(name, 0, reason))?;
            file_done(0);
        }
    }
    if js_sys::Date::now() - clock.slice > SLICE_MS {
        pause(epoch, clock).await?;
    }
    Ok(())
}

/// Reads one file's bytes a step at a time (a message of a mailbox, an entry of an archive),
/// yielding between steps when the slice is over, then adds what it held to the session. A
/// container stopped half-way is not added: Cancel keeps whole files only.
async fn ingest(epoch: u64, name: &str, bytes: &[u8], clock: &mut Clock) -> Result<(), Stop> {
    let mut job = IngestJob::new(name, bytes);
    while job.step() {
        if js_sys::Date::now() - clock.slice > SLICE_MS {
            let (done, total) = job.progress();
            with(|w| {
                w.progress.inside = Some(format!(
                    "{} of {} items in {name}",
                    thousands(done as u64),
                    thousands(total as u64)
                ))
            });
            pause(epoch, clock).await?;
        }
    }
    add(epoch, job.finish())
}

fn add(epoch: u64, node: IngestNode) -> Result<(), Stop> {
    with(|w| {
        if w.epoch != epoch {
            return Err(Stop::Cleared);
        }
        w.session.add(node);
        Ok(())
    })
}

fn file_done(bytes: u64) {
    with(|w| {
        w.progress.files_done += 1;
        w.progress.bytes_done += bytes;
        w.progress.inside = None;
    });
}

/// Lets the worker hear the page; posts progress, figures and findings when they are due.
async fn pause(epoch: u64, clock: &mut Clock) -> Result<(), Stop> {
    // A Clear heard while waiting (for more files, or in the last yield) ends the load here,
    // before anything is posted: a progress line posted after Clear's would stay on the page.
    if with(|w| w.epoch != epoch) {
        return Err(Stop::Cleared);
    }
    count_work(clock);
    let now = js_sys::Date::now();
    if now - clock.progress >= PROGRESS_EVERY_MS {
        clock.progress = now;
        let progress = with(|w| {
            w.progress.reports = w.session.set().reports.len();
            w.progress.elapsed_ms = now - w.started_at;
            w.progress.clone()
        });
        post_progress(Some(progress));
    }
    if now >= clock.diagnosis {
        // The diagnosis of the domains changed so far; run again after four times its cost,
        // so that it never takes more than a fifth of the load.
        diagnose();
        let cost = js_sys::Date::now() - now;
        clock.diagnosis = js_sys::Date::now() + (4.0 * cost).max(1000.0);
    }
    if now - clock.figures >= FIGURES_EVERY_MS {
        clock.figures = now;
        post_model();
    }
    TimeoutFuture::new(0).await;
    clock.slice = js_sys::Date::now();
    clock.work_from = precise_now();
    with(|w| {
        if w.epoch != epoch {
            Err(Stop::Cleared)
        } else if w.cancel {
            Err(Stop::Cancelled)
        } else {
            Ok(())
        }
    })
}

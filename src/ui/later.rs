//! Drawing in steps. The first time the dashboard is drawn, the browser also compiles the code
//! that draws it: in one go that made one main-thread task of 35 to 60 ms, even for a hundred
//! elements (the same draw takes 5 ms the second time). Each `Later` draws its part in a task
//! of its own, after the parts before it, so that each step stays short and the page answers
//! input between them.

use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

thread_local! {
    /// The parts waiting for their turn (the page is not yet fully drawn while any are).
    static WAITING: std::cell::OnceCell<RwSignal<usize>> = const { std::cell::OnceCell::new() };
}

fn waiting() -> RwSignal<usize> {
    WAITING.with(|cell| *cell.get_or_init(|| RwSignal::new(0)))
}

/// Made under the app's own owner, so that no view that comes and goes owns the count.
pub fn init() {
    let _ = waiting();
}

/// Whether every part is drawn (read in a reactive context, it updates).
pub fn all_drawn() -> bool {
    waiting().get() == 0
}

/// [`all_drawn`], outside a reactive context.
pub fn all_drawn_untracked() -> bool {
    waiting().get_untracked() == 0
}

/// Draws its children one task after the view around it; with `next_frame`, after the
/// browser has drawn the next frame, so that the two are laid out in frames of their own.
#[component]
pub fn Later(children: ChildrenFn, #[prop(optional)] next_frame: bool) -> impl IntoView {
    let ready = RwSignal::new(false);
    let waiting = waiting();
    waiting.update(|count| *count += 1);
    let draw = move || {
        set_timeout(
            move || {
                // The view may be gone by now (the page was cleared): then nothing to draw.
                let _ = ready.try_set(true);
                waiting.update(|count| *count = count.saturating_sub(1));
            },
            Duration::ZERO,
        )
    };
    if next_frame {
        // A timeout set in a frame's callback runs after that frame is drawn.
        request_animation_frame(draw);
    } else {
        draw();
    }
    move || ready.get().then(|| children())
}

/// Rows of a long table drawn in one frame: more rows are drawn in the frames after it. With
/// 50, a frame of By result at 500 rows took 20 to 25 ms to draw its rows and 10 to 15 ms to
/// lay out the table, and a garbage collection that fell in one such frame made it 50 to 61 ms.
pub const CHUNK_ROWS: usize = 25;

/// Rows drawn with the table itself, in the task that draws the view: fewer than a chunk, as
/// that task also draws (and, the first time, compiles) everything around the table.
pub const FIRST_ROWS: usize = 20;

/// Draws a table's body, its rows [`CHUNK_ROWS`] at a time, one animation frame each (a page
/// of 500 rows with their chips drawn at once made a task of 57 to 229 ms). One chunk per
/// frame, not per task: chunks run back to back in plain tasks left the browser to lay out
/// several of them, and the table around them, in one frame of 50 ms.
///
/// The rows are keyed by their content, and the body lives as long as the view around it:
/// when `rows` changes and most of the rows drawn stay, in their order, they are kept and only
/// new ones are drawn. "Show 500 more" thus draws the 500 new rows in chunks and leaves
/// the first 500 be (rebuilding them made a task of 51 to 57 ms); a node of a tree opened or
/// closed leaves the rows around it be. When most rows are new or in a new order (a sort, a
/// filter), a fresh `<tbody>` replaces the old one: one removal from the page, where taking
/// out the old rows one by one made a task of 50 ms. Rows up to the last one kept are shown
/// at once, as they cost nothing (see [`rows_to_keep`]); the rest follow, a chunk per frame. The page counts
/// as drawn only once every row is. (A hidden tab draws no frames: its rows are drawn when it
/// is shown.)
pub fn in_chunks<T, V>(
    rows: impl Fn() -> Vec<T> + Send + Sync + 'static,
    draw: impl Fn(&T) -> V + Clone + Send + Sync + 'static,
) -> AnyView
where
    T: Eq + std::hash::Hash + Send + Sync + 'static,
    V: IntoView + 'static,
{
    // Each row becomes its key and a way to draw it, so that one `For` (and one copy of this
    // code in the wasm) serves every table: a `For` per row type made the page 25 KB larger.
    let keyed = move || {
        let mut seen: HashMap<u64, u32> = HashMap::new();
        rows()
            .into_iter()
            .map(|row| {
                let hash = {
                    use std::hash::Hasher;
                    let mut hasher = std::collections::hash_map::DefaultHasher::new();
                    row.hash(&mut hasher);
                    hasher.finish()
                };
                // Equal rows (there should be none) get keys of their own.
                let again = seen.entry(hash).or_default();
                *again += 1;
                let draw = draw.clone();
                Row {
                    key: (hash, *again),
                    draw: Arc::new(move || draw(&row).into_any()),
                }
            })
            .collect()
    };
    keyed_in_chunks(Box::new(keyed))
}

/// A row of a table: its key (from its content), and how to draw it.
#[derive(Clone)]
struct Row {
    key: (u64, u32),
    draw: Arc<dyn Fn() -> AnyView + Send + Sync>,
}

impl PartialEq for Row {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

fn keyed_in_chunks(rows: Box<dyn Fn() -> Vec<Row> + Send + Sync>) -> AnyView {
    let shown = RwSignal::new(Shown {
        body: 0,
        rows: Arc::new(Vec::new()),
        drawn: 0,
    });
    // Bumped with each change of rows, so that the frames of an older change stop.
    let round = RwSignal::new(0u64);
    let show = move |rows: Vec<Row>| {
        let rows = Arc::new(rows);
        let total = rows.len();
        let (body, at_once) = shown.with_untracked(|old| {
            let keys = |rows: &[Row]| rows.iter().map(|row| row.key).collect::<Vec<_>>();
            match rows_to_keep(&keys(&old.rows[..old.drawn]), &keys(&rows)) {
                Some(at_once) => (old.body, at_once),
                None => (old.body + 1, 0),
            }
        });
        let drawn = at_once.max(FIRST_ROWS).min(total);
        shown.set(Shown { body, rows, drawn });
        round.update(|round| *round += 1);
        if drawn < total {
            let waiting = waiting();
            waiting.update(|count| *count += 1);
            next_chunk(shown, round, round.get_untracked(), waiting);
        }
    };
    // The first rows with the view itself; later changes through the effect (whose first run,
    // a tick later, only subscribes unless the rows have changed since).
    show(untrack(&rows));
    Effect::new(move |subscribed: Option<()>| {
        let rows = rows();
        if subscribed.is_some() || shown.with_untracked(|old| *old.rows != rows) {
            show(rows);
        }
    });
    let body = Memo::new(move |_| shown.with(|shown| shown.body));
    (move || {
        let this_body = body.get();
        // What this body drew last: kept while a newer body replaces it, so that it draws
        // nothing more in its last moments.
        let last = Arc::new(std::sync::Mutex::new(Vec::new()));
        view! {
            <tbody>
                <For
                    each=move || {
                        shown.with(|shown| {
                            let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
                            if shown.body == this_body {
                                *last = shown.rows[..shown.drawn].to_vec();
                            }
                            last.clone()
                        })
                    }
                    key=|row| row.key
                    children=move |row| (row.draw)()
                />
            </tbody>
        }
    })
    .into_any()
}

/// Rows taken out of a `<tbody>` one by one at most: past that, a fresh one is quicker (500
/// made a task of 50 ms).
const MOST_REMOVED: usize = 200;

/// Whether the rows `drawn` can be kept when the table's rows become `rows`, and if so, how
/// many of `rows` to draw at once; None: draw a fresh body.
///
/// A drawn row is kept if it is still there, in the order it was drawn in: "Show more", a node
/// of a tree opened or closed, or figures updating in place keep most rows. A sort keeps its
/// rows but not their order, and a filter few of them: they get a fresh body, as does a change
/// that would take out more than [`MOST_REMOVED`] rows. At once: the rows up to the last one
/// kept, so that kept rows stay the very elements they were, as long as the new rows among
/// them fit in a chunk (kept rows past those are taken out and drawn again, and count
/// toward [`MOST_REMOVED`]).
pub fn rows_to_keep<K: std::hash::Hash + Eq>(drawn: &[K], rows: &[K]) -> Option<usize> {
    let position: HashMap<&K, usize> = drawn
        .iter()
        .enumerate()
        .map(|(index, key)| (key, index))
        .collect();
    // Each row of `rows` is kept if it comes after the last one kept, in the drawn order.
    let mut last = None;
    let in_order: Vec<bool> = rows
        .iter()
        .map(|key| match position.get(key) {
            Some(&at) if last.is_none_or(|last| at > last) => {
                last = Some(at);
                true
            }
            _ => false,
        })
        .collect();
    let kept = in_order.iter().filter(|kept| **kept).count();
    if kept * 2 < drawn.len().min(rows.len()) || drawn.len() - kept > MOST_REMOVED {
        return None;
    }
    let (mut at_once, mut left, mut new) = (0, kept, 0);
    for kept in in_order {
        if left == 0 {
            break;
        }
        if kept {
            left -= 1;
        } else {
            new += 1;
            if new > CHUNK_ROWS {
                break;
            }
        }
        at_once += 1;
    }
    // The kept rows past those drawn at once are taken out, and drawn again with the chunks
    // after: past the limit, a fresh body is quicker.
    (left <= MOST_REMOVED).then_some(at_once)
}

/// The rows of a table as given, how many of them are drawn, and which `<tbody>` holds them.
struct Shown {
    body: u64,
    rows: Arc<Vec<Row>>,
    drawn: usize,
}

/// Queues the drawing of the rest of `shown`'s rows (this round's) for the frames to come.
fn next_chunk(
    shown: RwSignal<Shown>,
    round: RwSignal<u64>,
    this_round: u64,
    waiting: RwSignal<usize>,
) {
    queue_rows(Box::new(move |budget| {
        // The table may be gone by now (a new model, another tab), or its rows replaced by
        // newer ones (with a round of their own): then this round is done.
        let current = round.try_get_untracked() == Some(this_round);
        let step = current
            .then(|| {
                shown.try_update(|shown| {
                    let before = shown.drawn;
                    shown.drawn = (shown.drawn + budget).min(shown.rows.len());
                    (shown.drawn - before, shown.drawn < shown.rows.len())
                })
            })
            .flatten();
        let (used, more) = step.unwrap_or((0, false));
        if !more {
            waiting.update(|count| *count = count.saturating_sub(1));
        }
        (used, more)
    }));
}

/// Draws up to `budget` rows; says how many it drew, and whether it has more.
type RowJob = Box<dyn FnMut(usize) -> (usize, bool)>;

thread_local! {
    /// The tables with rows still to draw, first come first served.
    static ROW_JOBS: std::cell::RefCell<std::collections::VecDeque<RowJob>> =
        std::cell::RefCell::new(std::collections::VecDeque::new());
    /// Whether a frame is asked for (or being drawn, which asks for the next if need be).
    static FRAME_ASKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Adds a table to the queue, and starts drawing frames if none are being drawn. The budget of
/// [`CHUNK_ROWS`] rows per frame is shared by every table on the page (four tables of By
/// source, 50 rows each in one frame, made a task of 50 to 70 ms).
fn queue_rows(job: RowJob) {
    ROW_JOBS.with(|jobs| jobs.borrow_mut().push_back(job));
    if !FRAME_ASKED.replace(true) {
        after_next_frame(draw_frame);
    }
}

/// Runs `work` in a task of its own just after the browser draws its next frame. The rows are
/// drawn there rather than in the frame's callback, so that the frame's task lays out and
/// paints only: at 1,000 rows of By source the two together made tasks of 47 to 54 ms (the
/// rows' 5 to 20 ms, with a garbage collection, on top of the table's layout and paint).
fn after_next_frame(work: fn()) {
    request_animation_frame(move || set_timeout(work, Duration::ZERO));
}

/// One frame's rows, then the next frame if rows are left.
fn draw_frame() {
    let mut budget = CHUNK_ROWS;
    while budget > 0 {
        // Out of the queue while it runs: drawing may queue another table's rows.
        let Some(mut job) = ROW_JOBS.with(|jobs| jobs.borrow_mut().pop_front()) else {
            break;
        };
        let (used, more) = job(budget);
        budget = budget.saturating_sub(used);
        if more {
            ROW_JOBS.with(|jobs| jobs.borrow_mut().push_front(job));
            if used == 0 {
                break;
            }
        }
    }
    if ROW_JOBS.with(|jobs| !jobs.borrow().is_empty()) {
        after_next_frame(draw_frame);
    } else {
        FRAME_ASKED.set(false);
    }
}

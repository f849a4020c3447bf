//! Drawing in steps. The first time the dashboard is drawn, the browser also compiles the code
//! that draws it: in one go that made one main-thread task of 35 to 60 ms, even for a hundred
//! elements (the same draw takes 5 ms the second time). Each `Later` draws its part in a task
//! of its own, after the parts before it, so that each step stays short and the page answers
//! input between them.

use leptos::prelude::*;
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

/// Draws its children one task after the view around it.
#[component]
pub fn Later(children: ChildrenFn) -> impl IntoView {
    let ready = RwSignal::new(false);
    let waiting = waiting();
    waiting.update(|count| *count += 1);
    set_timeout(
        move || {
            // The view may be gone by now (the page was cleared): then there is nothing to draw.
            let _ = ready.try_set(true);
            waiting.update(|count| *count = count.saturating_sub(1));
        },
        Duration::ZERO,
    );
    move || ready.get().then(|| children())
}

/// Rows of a long table drawn in one frame: more rows are drawn in the frames after it.
pub const CHUNK_ROWS: usize = 50;

/// Rows drawn with the table itself, in the task that draws the view: fewer than a chunk, as
/// that task also draws (and, the first time, compiles) everything around the table.
pub const FIRST_ROWS: usize = 20;

/// Draws a table's rows [`CHUNK_ROWS`] at a time, one animation frame each (a page of 500
/// rows with their chips drawn at once made a task of 57 to 229 ms). One chunk per frame, not
/// per task: chunks run back to back in plain tasks left the browser to lay out several of
/// them, and the table around them, in one frame of 50 ms. Keyed by place, so that each step
/// adds rows and redraws none; the page counts as drawn only once every row is. (A hidden tab
/// draws no frames: its rows are drawn when it is shown.)
pub fn in_chunks<T, V>(
    rows: Vec<T>,
    draw: impl Fn(&T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Send + Sync + 'static,
    V: IntoView + 'static,
{
    let total = rows.len();
    let rows = std::sync::Arc::new(rows);
    let drawn = RwSignal::new(total.min(FIRST_ROWS));
    if total > FIRST_ROWS {
        let waiting = waiting();
        waiting.update(|count| *count += 1);
        next_chunk(drawn, total, waiting);
    }
    view! {
        <For
            each=move || 0..drawn.get()
            key=|index| *index
            children=move |index| draw(&rows[index])
        />
    }
}

fn next_chunk(drawn: RwSignal<usize>, total: usize, waiting: RwSignal<usize>) {
    request_animation_frame(move || {
        // The table may be gone by now (a new model, another tab): then it is done.
        let more = drawn.try_update(|count| {
            *count = (*count + CHUNK_ROWS).min(total);
            *count < total
        });
        if more == Some(true) {
            next_chunk(drawn, total, waiting);
        } else {
            waiting.update(|count| *count = count.saturating_sub(1));
        }
    });
}

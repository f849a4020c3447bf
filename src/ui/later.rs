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

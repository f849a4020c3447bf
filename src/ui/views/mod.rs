//! The views of the page, one module each, and the pieces they share.

mod compare;
mod coverage;
mod domains;
pub mod drill;
mod inputs;
mod overview;
mod per_mx;
mod per_result;
mod per_source;
mod problems;
mod timeline;

pub use compare::CompareView;
pub use coverage::CoverageView;
pub use domains::DomainsTable;
pub use inputs::InputsView;
pub use overview::{period_of, OverviewPanel};
pub use per_mx::MxView;
pub use per_result::ResultsView;
pub use per_source::SourcesView;
pub use problems::{HealthPanel, LoadAlert, ProblemsView};
pub use timeline::TimelineView;

use crate::engine::model::RowOrder;
use crate::engine::model::Trace;
use crate::engine::model::TypeCount;
use crate::engine::present::plural;
use crate::ui::state::Field;
use leptos::prelude::*;

/// The sort of a table that the worker sorts over every row: the order the request asks for
/// (`wanted`), and the order of the rows shown (`shown`, from the model that holds them).
pub struct TableSort<C: Send + Sync + 'static> {
    wanted: Field<Option<RowOrder<C>>>,
    shown: Memo<Option<RowOrder<C>>>,
}

impl<C: Send + Sync + 'static> Clone for TableSort<C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C: Send + Sync + 'static> Copy for TableSort<C> {}

/// The sort of a table whose order the request holds in `order`, and whose rows shown were
/// sorted by the worker as `shown` says (the request the model answers). The headers show the
/// rows' order: their arrows turn with the rows, not at the click, as changing a header while
/// the old rows are still there made the browser lay out the whole table of 500 rows (a task
/// of 50 to 77 ms).
fn worker_sort<C>(
    order: Field<Option<RowOrder<C>>>,
    shown: impl Fn() -> Option<RowOrder<C>> + Send + Sync + 'static,
) -> TableSort<C>
where
    C: Copy + PartialEq + Send + Sync + 'static,
{
    TableSort {
        wanted: order,
        shown: Memo::new(move |_| shown()),
    }
}

/// The suggestions of a typed field, drawn when `wanted` turns true (set it on the field's
/// first focus), not with every model: hundreds of options would make each update slow.
pub fn suggestions_on_use(
    values: &[String],
) -> (
    RwSignal<bool>,
    impl Fn() -> Option<AnyView> + Send + Sync + 'static,
) {
    let wanted = RwSignal::new(false);
    let values = values.to_vec();
    let options = move || {
        wanted.get().then(|| {
            values
                .iter()
                .map(|value| view! { <option value=value.clone()></option> })
                .collect_view()
                .into_any()
        })
    };
    (wanted, options)
}

/// The text typed in a search or filter field, cut to [`crate::text::MAX_TEXT`] characters
/// (the fields say `maxlength` too, but a paste or a script can set a longer value): a 10 MB
/// search string made a 559 ms task, and would travel to the worker and back.
pub fn typed_value<T: wasm_bindgen::JsCast>(event: &T) -> String {
    let value = event_target_value(event);
    match value.char_indices().nth(crate::text::MAX_TEXT) {
        Some((end, _)) => value[..end].to_string(),
        None => value,
    }
}

/// The `maxlength` of a search or filter field (see [`typed_value`]).
pub const FIELD_MAX: &str = "1024";

/// Rows shown at first, and added by each "Show more": long tables stay quick to draw.
const PAGE: usize = 500;

/// "Show 500 more (9,000 not shown)", when rows are left out.
fn show_more(limit: Field<usize>, total: usize, test_id: &'static str) -> impl IntoView {
    show_more_by(
        limit,
        limit.get_untracked().min(total),
        total,
        PAGE,
        "",
        test_id,
    )
}

/// "Show 50 more domains (19,950 not shown)": `shown` of `total` are drawn, and a click asks
/// for `step` more (of `what`, "" or " domains").
fn show_more_by(
    limit: Field<usize>,
    shown: usize,
    total: usize,
    step: usize,
    what: &'static str,
    test_id: &'static str,
) -> impl IntoView {
    (shown < total).then(|| {
        view! {
            <p class="show-more">
                <button class="button subtle" data-testid=test_id on:click=move |_| limit.update(|l| *l += step)>
                    {format!(
                        "Show {} more{what} ({} not shown)",
                        crate::engine::present::thousands(step.min(total - shown) as u64),
                        crate::engine::present::thousands((total - shown) as u64)
                    )}
                </button>
            </p>
        }
    })
}

/// A table whose column headers sort it: a click sorts by the column, a second click turns
/// the order round. Columns without a `C` (lists) stay plain. `body` is the table's `<tbody>`
/// (see `later::in_chunks`).
fn sortable_table<C>(
    test_id: Option<&'static str>,
    columns: &[(&'static str, bool, Option<C>)],
    sort: TableSort<C>,
    body: impl IntoView,
) -> impl IntoView
where
    C: Copy + PartialEq + Send + Sync + 'static,
{
    let headers = columns
        .iter()
        .map(|&(title, numeric, column)| {
            let Some(column) = column else {
                return view! { <th scope="col" class:num=numeric>{title}</th> }.into_any();
            };
            // The headers live as long as the table: they follow the rows' order.
            let state = move || match sort.shown.get() {
                Some(order) if order.column == column => {
                    if order.descending { "descending" } else { "ascending" }
                }
                _ => "none",
            };
            let arrow = move || match state() {
                "descending" => " ▼",
                "ascending" => " ▲",
                _ => "",
            };
            view! {
                <th scope="col" class:num=numeric aria-sort=state>
                    <button
                        class="sort"
                        data-testid=format!("sort-{}", crate::engine::present::slug(title))
                        on:click=move |_| {
                            let next = match sort.wanted.get_untracked() {
                                Some(order) if order.column == column => RowOrder::new(column, !order.descending),
                                // Figures sort largest first, text A to Z.
                                _ => RowOrder::new(column, numeric),
                            };
                            sort.wanted.set(Some(next));
                        }
                    >
                        {title}{arrow}
                    </button>
                </th>
            }
            .into_any()
        })
        .collect_view();
    table_shell(test_id, headers, body)
}

/// A table of the page's style: its header from (title, numeric) pairs, then `body`, its
/// `<tbody>` (see `later::in_chunks`).
fn keyed_table(
    test_id: Option<&'static str>,
    columns: &[(&'static str, bool)],
    body: impl IntoView,
) -> impl IntoView {
    let headers = columns
        .iter()
        .map(|(title, numeric)| view! { <th scope="col" class:num=*numeric>{*title}</th> })
        .collect_view();
    table_shell(test_id, headers, body)
}

/// The markup every table of the page shares; `body` is its `<tbody>`.
fn table_shell(
    test_id: Option<&'static str>,
    headers: impl IntoView,
    body: impl IntoView,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data" data-testid=test_id>
                <thead>
                    <tr>{headers}</tr>
                </thead>
                {body}
            </table>
        </div>
    }
}

/// Failures by result type as labelled chips, with the meaning of each type on hover.
fn type_chips(counts: &[TypeCount]) -> impl IntoView {
    counts
        .iter()
        .map(|count| {
            let result_type = &count.result_type;
            view! {
                <span
                    class="chip"
                    class:chip-unknown=!result_type.is_registered()
                    title=result_type.meaning()
                    data-type=result_type.to_string()
                >
                    <span class="chip-name">{result_type.to_string()}</span>
                    <span class="chip-count">{crate::engine::present::thousands(count.sessions)}</span>
                </span>
            }
        })
        .collect_view()
}

/// "3 reports", a button that opens the reports behind the figure: every figure can be
/// traced to its sources.
fn report_trace(count: usize, trace: Trace) -> impl IntoView {
    let open = drill::opener();
    view! {
        <button
            class="trace"
            title="Open the reports behind this figure"
            data-testid="trace"
            on:click=move |_| open(crate::ui::state::Drill::Reports(trace.clone()))
        >
            {plural(count, "report", "reports")}
        </button>
    }
}

//! "Keep in this browser": the inputs the user gave, stored in this origin's own IndexedDB
//! (never anywhere else) so that the next visit reads them again. Off by default. The page
//! holds each given file's `File` handle (cheap: the browser reads it only when asked), so
//! ticking the box after a load stores what is loaded; once ticked, every new input is stored
//! as it is given. A full quota stores nothing and loses nothing loaded: the page says so.
//! Clear, or unticking the box, forgets what was stored.

use crate::engine::present::human_size;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransaction, IdbTransactionMode};

/// The database, its one store (keys in the order given), and the preference's key.
const DATABASE: &str = "tlsrpt-viewer-kept";
const STORE: &str = "inputs";
const PREFERENCE: &str = "tlsrpt-viewer.keep";
/// Inputs written per transaction: a short task each, and the page stays responsive.
const PER_TRANSACTION: usize = 500;

/// The box and what it did.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Off,
    /// Reading what a previous visit kept.
    Restoring,
    Storing,
    Kept(Stored),
    /// Why nothing is kept; everything loaded stays loaded.
    Failed(String),
    /// What a previous visit kept could not be read; it stays stored (the box stays ticked).
    Unreadable(String),
}

/// What is stored: inputs, their bytes, and whether the browser promised not to evict them.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stored {
    pub inputs: usize,
    pub bytes: u64,
    pub persisted: bool,
}

/// The page's side of keeping: the box's status, and what the page restored when it opened.
#[derive(Clone, Copy)]
pub struct Keep {
    pub status: RwSignal<Status>,
    pub restored: RwSignal<Option<Stored>>,
    /// False on a page that preloads reports (`?src=`): a documentation page's sample is not
    /// the user's to keep, and ticking there would replace what the user kept.
    pub offered: RwSignal<bool>,
}

impl Keep {
    pub fn new() -> Self {
        Keep {
            status: RwSignal::new(Status::Off),
            restored: RwSignal::new(None),
            offered: RwSignal::new(true),
        }
    }

    /// Whether leaving the page loses nothing: every input given is stored.
    pub fn holds_everything(&self) -> bool {
        self.status.with_untracked(|s| matches!(s, Status::Kept(_)))
    }
}

/// An input as the page was given it.
#[derive(Clone)]
enum Given {
    File(String, web_sys::File),
    Demo,
}

thread_local! {
    /// Every input given since the page opened or was cleared, in order.
    static GIVEN: RefCell<Vec<Given>> = const { RefCell::new(Vec::new()) };
    /// Inputs waiting to be stored, in order: one writer at a time takes them, so that what is
    /// stored keeps the order given and "kept" is said only once all of it is.
    static QUEUE: RefCell<Vec<Given>> = const { RefCell::new(Vec::new()) };
    /// The generation whose writer runs, if one does.
    static WRITER: Cell<Option<u64>> = const { Cell::new(None) };
    /// What is stored now.
    static STORED: Cell<Stored> = const { Cell::new(Stored { inputs: 0, bytes: 0, persisted: false }) };
    /// Bumped by Clear, by ticking or unticking and by a failure: a writer of an earlier
    /// generation stops at its next transaction.
    static GENERATION: Cell<u64> = const { Cell::new(0) };
}

fn generation() -> u64 {
    GENERATION.with(Cell::get)
}

/// A new generation: earlier writers stop, and nothing waits to be stored.
fn next_generation() -> u64 {
    QUEUE.with(|queue| queue.borrow_mut().clear());
    GENERATION.with(|g| {
        g.set(g.get() + 1);
        g.get()
    })
}

/// The user gave these files: remembered, and stored too when the box is ticked.
pub fn files_given(keep: Keep, files: Vec<(String, web_sys::File)>) {
    let given: Vec<Given> = files
        .into_iter()
        .map(|(name, file)| Given::File(name, file))
        .collect();
    remember(keep, given);
}

/// The user loaded the bundled demo reports.
pub fn demo_given(keep: Keep) {
    remember(keep, vec![Given::Demo]);
}

fn remember(keep: Keep, given: Vec<Given>) {
    if given.is_empty() {
        return;
    }
    GIVEN.with(|all| all.borrow_mut().extend(given.iter().cloned()));
    match keep.status.get_untracked() {
        Status::Kept(_) | Status::Storing => {
            // What is stored is no longer only what was restored.
            keep.restored.set(None);
            QUEUE.with(|queue| queue.borrow_mut().extend(given));
            start_writer(keep);
        }
        // Stored once the restore has read what was kept.
        Status::Restoring => QUEUE.with(|queue| queue.borrow_mut().extend(given)),
        Status::Off | Status::Failed(_) | Status::Unreadable(_) => {}
    }
}

/// Starts the writer of this generation, unless it runs: until the queue is empty, the page
/// says "Storing" (and leaving it asks first).
fn start_writer(keep: Keep) {
    let generation = generation();
    if QUEUE.with(|queue| queue.borrow().is_empty()) {
        return;
    }
    keep.status.set(Status::Storing);
    if WRITER.with(Cell::get) == Some(generation) {
        return;
    }
    WRITER.with(|writer| writer.set(Some(generation)));
    spawn_local(write_queue(keep, generation));
}

/// The box was ticked or unticked.
pub fn set(keep: Keep, on: bool) {
    let generation = next_generation();
    set_preference(on);
    keep.restored.set(None);
    if on {
        keep.status.set(Status::Storing);
        spawn_local(async move {
            // Anything stored before (a failed attempt's part) goes first.
            if let Err(error) = forget_stored().await {
                fail(keep, generation, &error).await;
                return;
            }
            if generation != self::generation() {
                return;
            }
            let given = GIVEN.with(|all| all.borrow().clone());
            QUEUE.with(|queue| queue.borrow_mut().extend(given));
            if QUEUE.with(|queue| queue.borrow().is_empty()) {
                keep.status.set(Status::Kept(Stored::default()));
            }
            start_writer(keep);
        });
    } else {
        keep.status.set(Status::Off);
        spawn_local(async {
            let _ = forget_stored().await;
        });
    }
}

/// Clear: the inputs given are forgotten, and so is what was stored. The box stays as it was,
/// so that the next inputs are kept if it is ticked.
pub fn clear(keep: Keep) {
    next_generation();
    GIVEN.with(|all| all.borrow_mut().clear());
    keep.restored.set(None);
    let ticked = preference();
    keep.status.set(if ticked {
        Status::Kept(Stored::default())
    } else {
        Status::Off
    });
    spawn_local(async {
        let _ = forget_stored().await;
    });
}

/// When the page opens with the box ticked on a previous visit: reads what was kept and hands
/// it to `load` (the files) and `load_demo`. Does nothing when the address preloads reports
/// (a documentation page's sample is shown as asked) or the box was never ticked. Should the
/// reading fail, what was kept stays kept (a reload tries again) and the page says so.
pub fn restore(
    keep: Keep,
    load: impl Fn(Vec<(String, web_sys::File)>) + 'static,
    load_demo: impl Fn() + 'static,
) {
    if !preference() {
        return;
    }
    keep.status.set(Status::Restoring);
    let generation = generation();
    spawn_local(async move {
        let kept = match read_stored().await {
            Ok(kept) => kept,
            Err(error) => {
                if generation == self::generation() {
                    QUEUE.with(|queue| queue.borrow_mut().clear());
                    keep.status.set(Status::Unreadable(format!(
                        "The inputs kept in this browser could not be read ({}). They are \
                         still stored: reload the page to try again, or untick “Keep in this \
                         browser” to forget them.",
                        error_text(&error)
                    )));
                }
                return;
            }
        };
        if generation != self::generation() {
            return;
        }
        let mut stored = Stored {
            persisted: persisted().await,
            ..Stored::default()
        };
        let mut files = Vec::new();
        for given in &kept {
            stored.inputs += 1;
            match given {
                Given::File(name, file) => {
                    stored.bytes += file.size() as u64;
                    files.push((name.clone(), file.clone()));
                }
                Given::Demo => load_demo(),
            }
        }
        // Inputs given while this was read come after what was kept, as they came.
        GIVEN.with(|all| {
            let mut all = all.borrow_mut();
            let later = std::mem::take(&mut *all);
            all.extend(kept);
            all.extend(later);
        });
        STORED.with(|s| s.set(stored));
        keep.status.set(Status::Kept(stored));
        if stored.inputs > 0 {
            keep.restored.set(Some(stored));
        }
        start_writer(keep);
        if !files.is_empty() {
            load(files);
        }
    });
}

/// Stores what waits in the queue, a transaction at a time, until it is empty; then says what
/// is stored, or why nothing is. Stops when the generation changes.
async fn write_queue(keep: Keep, generation: u64) {
    let persisted = ask_to_persist().await;
    let result = async {
        let database = open().await?;
        loop {
            if generation != self::generation() {
                return Ok(());
            }
            let chunk: Vec<Given> = QUEUE.with(|queue| {
                let mut queue = queue.borrow_mut();
                let take = queue.len().min(PER_TRANSACTION);
                queue.drain(..take).collect()
            });
            if chunk.is_empty() {
                return Ok(());
            }
            let transaction = write_transaction(&database)?;
            let store = transaction.object_store(STORE)?;
            let mut added = Stored::default();
            for item in &chunk {
                // An input over the limit for one input is not read, so not kept either.
                let size = match item {
                    Given::File(_, file) => file.size() as u64,
                    Given::Demo => 0,
                };
                if size > crate::engine::present::MAX_INPUT_BYTES {
                    continue;
                }
                store.add(&record(item)?)?;
                added.inputs += 1;
                added.bytes += size;
            }
            finished(&transaction).await?;
            if generation == self::generation() {
                STORED.with(|s| {
                    let mut now = s.get();
                    now.inputs += added.inputs;
                    now.bytes += added.bytes;
                    s.set(now);
                });
            }
        }
    }
    .await;
    if WRITER.with(Cell::get) == Some(generation) {
        WRITER.with(|writer| writer.set(None));
    }
    if generation != self::generation() {
        return;
    }
    match result {
        Ok(()) => {
            let mut stored = STORED.with(Cell::get);
            stored.persisted = persisted;
            STORED.with(|s| s.set(stored));
            keep.status.set(Status::Kept(stored));
        }
        Err(error) => fail(keep, generation, &error).await,
    }
}

/// Nothing is kept after all: what was stored is removed, the box unticked, and the page says
/// why. Everything loaded stays loaded.
async fn fail(keep: Keep, generation: u64, error: &JsValue) {
    if generation != self::generation() {
        return;
    }
    // Every other writer of this generation stops too.
    let generation = next_generation();
    let needed: u64 = GIVEN.with(|all| {
        all.borrow()
            .iter()
            .map(|given| match given {
                Given::File(_, file) => file.size() as u64,
                Given::Demo => 0,
            })
            .sum()
    });
    let _ = forget_stored().await;
    if generation != self::generation() {
        return;
    }
    set_preference(false);
    let name = js_sys::Reflect::get(error, &"name".into())
        .ok()
        .and_then(|name| name.as_string())
        .unwrap_or_default();
    let message = if name == "QuotaExceededError" {
        // The browser's estimate, when it shows the quota too small; it may not (a full disk,
        // or a quota set by the browser's tools), and then the page says only that it is full.
        let room = match estimate().await {
            Some((quota, usage)) if quota < usage + needed => format!(
                "this browser lets this page store about {}, of which {} is in use",
                human_size(quota),
                human_size(usage)
            ),
            _ => "this browser has no room left for this page's storage".to_string(),
        };
        format!(
            "Not kept: {room}, and these inputs take {}. Everything loaded is still loaded in \
             this tab; leaving or reloading the page will ask first.",
            human_size(needed)
        )
    } else {
        format!(
            "Not kept: this browser refused to store the inputs ({}). Everything loaded is \
             still loaded in this tab; leaving or reloading the page will ask first.",
            error_text(error)
        )
    };
    keep.status.set(Status::Failed(message));
}

/// The browser's own words for a storage error, cut to a line.
fn error_text(error: &JsValue) -> String {
    let detail = js_sys::Reflect::get(error, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .filter(|m| !m.is_empty())
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "no reason given".to_string());
    crate::text::cut(&detail, 200).unwrap_or(detail)
}

/// A stored input: `{name, file}`, or `{demo: true}`.
fn record(given: &Given) -> Result<JsValue, JsValue> {
    let object = js_sys::Object::new();
    match given {
        Given::File(name, file) => {
            js_sys::Reflect::set(&object, &"name".into(), &name.into())?;
            js_sys::Reflect::set(&object, &"file".into(), file)?;
        }
        Given::Demo => {
            js_sys::Reflect::set(&object, &"demo".into(), &true.into())?;
        }
    }
    Ok(object.into())
}

fn from_record(value: &JsValue) -> Option<Given> {
    let get = |key: &str| js_sys::Reflect::get(value, &key.into()).ok();
    if get("demo").is_some_and(|demo| demo.is_truthy()) {
        return Some(Given::Demo);
    }
    let name = get("name")?.as_string()?;
    let file = get("file")?.dyn_into::<web_sys::File>().ok()?;
    Some(Given::File(name, file))
}

/// Every stored input, in the order given.
async fn read_stored() -> Result<Vec<Given>, JsValue> {
    let database = open().await?;
    let transaction =
        database.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readonly)?;
    let all = settled(&transaction.object_store(STORE)?.get_all()?).await?;
    let all: js_sys::Array = all.dyn_into()?;
    Ok(all.iter().filter_map(|value| from_record(&value)).collect())
}

/// Removes every stored input.
async fn forget_stored() -> Result<(), JsValue> {
    STORED.with(|s| s.set(Stored::default()));
    let database = open().await?;
    let transaction = write_transaction(&database)?;
    transaction.object_store(STORE)?.clear()?;
    finished(&transaction).await
}

fn write_transaction(database: &IdbDatabase) -> Result<IdbTransaction, JsValue> {
    database.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
}

/// The database, made on first use.
async fn open() -> Result<IdbDatabase, JsValue> {
    let factory = window()
        .indexed_db()?
        .ok_or_else(|| JsValue::from_str("this browser has no IndexedDB here"))?;
    let request = factory.open_with_u32(DATABASE, 1)?;
    let upgrading = request.clone();
    let on_upgrade = Closure::once_into_js(move |_: web_sys::Event| {
        if let Ok(database) = upgrading.result() {
            let database: IdbDatabase = database.unchecked_into();
            let options = web_sys::IdbObjectStoreParameters::new();
            options.set_auto_increment(true);
            let _ = database.create_object_store_with_optional_parameters(STORE, &options);
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    Ok(settled(&request).await?.unchecked_into())
}

/// A request's result, once it has one.
async fn settled(request: &IdbRequest) -> Result<JsValue, JsValue> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let succeeded = request.clone();
        let on_success = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(&JsValue::NULL, &succeeded.result().unwrap_or_default());
        });
        let failed = request.clone();
        let on_error = Closure::once_into_js(move |_: web_sys::Event| {
            let error = failed.error().ok().flatten().map(JsValue::from);
            let _ = reject.call1(&JsValue::NULL, &error.unwrap_or_default());
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise).await
}

/// A write transaction's end: complete, or the reason it was aborted (a full quota is a
/// `QuotaExceededError` here).
async fn finished(transaction: &IdbTransaction) -> Result<(), JsValue> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let on_complete = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let aborted = transaction.clone();
        let on_abort = Closure::once_into_js(move |_: web_sys::Event| {
            let error = aborted.error().map(JsValue::from);
            let _ = reject.call1(&JsValue::NULL, &error.unwrap_or_default());
        });
        transaction.set_oncomplete(Some(on_complete.unchecked_ref()));
        transaction.set_onabort(Some(on_abort.unchecked_ref()));
    });
    JsFuture::from(promise).await.map(|_| ())
}

fn storage_manager() -> Option<web_sys::StorageManager> {
    let navigator = window().navigator();
    // Absent outside secure contexts.
    js_sys::Reflect::get(&navigator, &"storage".into())
        .ok()
        .filter(|storage| !storage.is_undefined())
        .map(|storage| storage.unchecked_into())
}

/// Asks the browser not to evict this page's storage under pressure; whether it agreed.
async fn ask_to_persist() -> bool {
    storage_says(web_sys::StorageManager::persist).await
}

/// Whether the browser promised not to evict this page's storage.
async fn persisted() -> bool {
    storage_says(web_sys::StorageManager::persisted).await
}

/// The yes or no of a storage manager's question (no when there is none to ask).
async fn storage_says(
    question: fn(&web_sys::StorageManager) -> Result<js_sys::Promise, JsValue>,
) -> bool {
    let Some(promise) = storage_manager().and_then(|manager| question(&manager).ok()) else {
        return false;
    };
    JsFuture::from(promise)
        .await
        .is_ok_and(|answer| answer.is_truthy())
}

/// The bytes this page may store, and those it stores, as the browser says.
async fn estimate() -> Option<(u64, u64)> {
    let promise = storage_manager()?.estimate().ok()?;
    let estimate: web_sys::StorageEstimate = JsFuture::from(promise).await.ok()?.unchecked_into();
    Some((estimate.get_quota()? as u64, estimate.get_usage()? as u64))
}

/// Whether the box was ticked (kept across visits in this origin's local storage).
fn preference() -> bool {
    local_storage()
        .and_then(|storage| storage.get_item(PREFERENCE).ok().flatten())
        .is_some_and(|value| value == "1")
}

fn set_preference(on: bool) {
    if let Some(storage) = local_storage() {
        let _ = if on {
            storage.set_item(PREFERENCE, "1")
        } else {
            storage.remove_item(PREFERENCE)
        };
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The box, beside Clear.
#[component]
pub fn KeepToggle(keep: Keep) -> impl IntoView {
    let ticked = move || {
        keep.status.with(|s| {
            matches!(
                s,
                Status::Kept(_) | Status::Storing | Status::Restoring | Status::Unreadable(_)
            )
        })
    };
    move || {
        keep.offered.get().then(|| view! {
        <label class="keep-local" title="Store the loaded inputs in this browser's own storage for this page, and read them again on your next visit. Nothing is sent anywhere.">
            <input
                type="checkbox"
                data-testid="keep-local"
                prop:checked=ticked
                on:change=move |event| set(keep, event_target_checked(&event))
            />
            "Keep in this browser"
        </label>
    })
    }
}

/// What keeping did: the inputs restored on opening, what is stored now, or why nothing is.
#[component]
pub fn KeepNotice(keep: Keep) -> impl IntoView {
    move || {
        let restored = keep.restored.get();
        match keep.status.get() {
            Status::Failed(message) | Status::Unreadable(message) => Some(view! {
                <p class="notice keep-notice keep-failed" role="alert" data-testid="keep-status">{message}</p>
            }.into_any()),
            Status::Storing => Some(view! {
                <p class="notice keep-notice" role="status" data-testid="keep-status">"Storing the inputs in this browser…"</p>
            }.into_any()),
            Status::Kept(stored) if stored.inputs > 0 => {
                let (lead, data_id) = match restored {
                    Some(_) => ("Restored from this browser: ", "kept-restored"),
                    None => ("Kept in this browser: ", "keep-status"),
                };
                Some(view! {
                    <p class="notice keep-notice" role="status" data-testid=data_id>
                        <strong>{lead}</strong>
                        {kept_text(stored)}
                    </p>
                }.into_any())
            }
            _ => None,
        }
    }
}

/// "12 inputs (3.4 MiB), stored for this page only …; to forget them, …".
fn kept_text(stored: Stored) -> String {
    let (they, load, them) = if stored.inputs == 1 {
        ("it", "loads", "it")
    } else {
        ("they", "load", "them")
    };
    let mut text = format!(
        "{} ({}), stored in this browser's own storage for this page only and never sent \
         anywhere; {they} {load} again when you come back. To forget {them}, untick “Keep in \
         this browser” or press Clear.",
        crate::text::plural(stored.inputs, "input", "inputs"),
        human_size(stored.bytes)
    );
    if !stored.persisted {
        text.push_str(&format!(
            " The browser may remove {them} if it runs short of space."
        ));
    }
    text
}

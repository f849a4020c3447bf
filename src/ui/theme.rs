//! The colour theme: the system's (prefers-color-scheme), or light or dark as chosen with the
//! toggle. The choice is kept in this browser's local storage and set as `data-theme` on the
//! root element, which the stylesheet reads.

use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    System,
    Light,
    Dark,
}

const KEY: &str = "tlsrpt-viewer-theme";

impl Theme {
    fn name(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn next(self) -> Self {
        match self {
            Theme::System => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::System,
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn saved() -> Theme {
    match storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .as_deref()
    {
        Some("light") => Theme::Light,
        Some("dark") => Theme::Dark,
        _ => Theme::System,
    }
}

fn apply(theme: Theme) {
    if let Some(root) = document().document_element() {
        let _ = match theme {
            Theme::System => root.remove_attribute("data-theme"),
            other => root.set_attribute("data-theme", other.name()),
        };
    }
    if let Some(storage) = storage() {
        let _ = storage.set_item(KEY, theme.name());
    }
}

/// The toggle: System → Light → Dark → System.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let theme = RwSignal::new(saved());
    Effect::new(move |_| apply(theme.get()));
    view! {
        <button
            class="button subtle"
            data-testid="theme-toggle"
            aria-label=move || format!("Colour theme: {}. Change it", theme.get().name())
            on:click=move |_| theme.update(|t| *t = t.next())
        >
            {move || match theme.get() {
                Theme::System => "Theme: system",
                Theme::Light => "Theme: light",
                Theme::Dark => "Theme: dark",
            }}
        </button>
    }
}

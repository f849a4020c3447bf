//! The Leptos page: the only layer that touches the DOM.

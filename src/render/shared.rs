//! Shared: a view made into a template value once, for every place that
//! shows it ([`Shared`], a page's list; [`Valued`], a term or a score badge
//! that many listing entries show).

use std::marker::PhantomData;

use serde::Serialize;

/// A view made into a template value once and shared by the values that
/// show it: a term page's list of briefs is both `term.briefs` and
/// `paginator.briefs`. Templates see the `T` inside.
pub struct Shared<T> {
    value: tera::Value,
    view: PhantomData<fn() -> T>,
}

impl<T: Serialize> Shared<T> {
    /// `view` (a `T`, or anything serialized the same way, such as a list
    /// of references) as a template value.
    pub(crate) fn new(view: &impl Serialize) -> Self {
        Shared {
            value: tera::Value::from_serializable(view),
            view: PhantomData,
        }
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        // The value's lists and maps are reference-counted: a cheap copy.
        Shared {
            value: self.value.clone(),
            view: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.value.fmt(f)
    }
}

impl<T> Serialize for Shared<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Into a template context this is a copy of the value, not a new
        // serialization (Tera passes its own values through).
        self.value.serialize(serializer)
    }
}

/// A view beside its template value, made the first time a page shows it
/// and shared from then on: a tag, an entity or a score badge is shown by
/// every listing entry of every brief that has it, and serializing each
/// anew (a map of strings apiece) was much of what a listing page cost.
/// Templates, and any other serializer, see the `T` inside; Rust code
/// reads it through `Deref`.
pub struct Valued<T> {
    view: T,
    value: std::sync::OnceLock<tera::Value>,
}

impl<T> Valued<T> {
    /// `view`, its value not made yet.
    pub(crate) fn new(view: T) -> Self {
        Valued {
            view,
            value: std::sync::OnceLock::new(),
        }
    }
}

impl<T> std::ops::Deref for Valued<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.view
    }
}

impl<T: Clone> Clone for Valued<T> {
    fn clone(&self) -> Self {
        Valued {
            view: self.view.clone(),
            value: self.value.clone(),
        }
    }
}

impl<T: PartialEq> PartialEq for Valued<T> {
    fn eq(&self, other: &Self) -> bool {
        self.view == other.view
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Valued<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.view.fmt(f)
    }
}

impl<T: Serialize> Serialize for Valued<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Into a template value this is a copy of the kept value (its maps
        // reference-counted); into anything else, the same data.
        (self
            .value
            .get_or_init(|| tera::Value::from_serializable(&self.view)))
        .serialize(serializer)
    }
}

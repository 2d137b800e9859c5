//! Shared: a view made into a template value once, for every place that shows it.

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

use std::borrow::Cow;
use std::fmt::Write;
use std::str::FromStr;

use citationberg::taxonomy::{
    Locator, NumberOrPageVariable, NumberVariable, OtherTerm, PageVariable,
    StandardVariable, Term, Variable,
};
use citationberg::{
    ChooseBranch, CslMacro, DateDayForm, DateMonthForm, DatePartName, DateParts,
    DateStrongAnyForm, GrammarGender, LabelPluralize, LayoutRenderingElement,
    LongShortForm, NumberForm, PageRangeFormat, TestPosition, TextCase, ToAffixes,
    ToFormatting,
};
use citationberg::{TermForm, TextTarget};

use crate::PageRanges;
use crate::csl::Sorting;
use crate::csl::taxonomy::{NumberVariableResult, PageVariableResult};
use crate::lang::{Case, SentenceCase, TitleCase};
use crate::types::{ChunkedString, Date, MaybeTyped, Numeric};

use super::taxonomy::{EntryLike, NumberOrPageVariableResult};
use super::{
    Context, DisambiguateState, ElemMeta, IbidState, SpecialForm, UsageInfo, write_year,
};

pub mod names;

/// All rendering elements implement this trait. It allows you to format an
/// [`Entry`] with them.
pub(crate) trait RenderCsl {
    /// Render the element given the context's Entry into the context's buffer.
    fn render<T: EntryLike>(&self, ctx: &mut Context<T>);
    /// Check whether the element will render a given variable.
    fn will_render<T: EntryLike>(&self, ctx: &mut Context<T>, var: Variable) -> bool;
    /// Check whether the element will print something and what.
    fn will_have_info<T: EntryLike>(&self, ctx: &mut Context<T>) -> (bool, UsageInfo);
    /// Render the element right after [`RenderCsl::will_have_info`] was
    /// asked of it, in the same state and outside `cs:substitute` (where
    /// asking leaves no trace): `info` is that answer, not asked again, and
    /// `at`, when the walk was written down, where its answers for the
    /// elements within begin (see [`Walks`]).
    fn render_known<T: EntryLike>(
        &self,
        ctx: &mut Context<T>,
        info: (bool, UsageInfo),
        at: Option<usize>,
    ) {
        let _ = (info, at);
        self.render(ctx);
    }
}

/// The answers of the `will_have_info` walks made for the render under way,
/// kept so that the elements within a walked element are not walked again
/// when they render.
///
/// A walk asks every element within a group, a macro or the chosen branch
/// of a `cs:choose` whether it will print; rendering that element then asks
/// each of its children again before rendering it, so an element nested `n`
/// deep was walked `n` times. A walk made for a render writes each
/// element's answer down in walk order (the element, then those within
/// it), and the render reads its children's answers from there.
///
/// An answer holds while the walked state does: outside `cs:substitute`
/// (asking there suppresses variables), with no special form (those read
/// whether a date was printed yet), and while none of the variables the
/// walk asked about was suppressed since (a `cs:names` rendering its
/// substitute suppresses the variables it used, and a later sibling may
/// ask about one of them).
#[derive(Debug)]
pub(super) struct Walks {
    /// Whether this render takes the shortcuts (see [`shortcuts`]): keeps
    /// its walks among them.
    keep: bool,
    /// Whether `will_have_info` writes its answers down now.
    on: bool,
    /// The answers written down, in walk order.
    log: Vec<Walked>,
}

impl Default for Walks {
    fn default() -> Self {
        Self { keep: SHORTCUTS.get(), on: false, log: Vec::new() }
    }
}

thread_local! {
    static SHORTCUTS: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

/// Whether the renders that begin on this thread from now on take the
/// shortcuts that skip work whose result is known: they keep their
/// `will_have_info` walks for the render ([`Walks`]), walk without
/// building the values they only test, and do not render a
/// `cs:substitute`'s `cs:names` whose variables are all empty. They do
/// unless this turned it off. Off, every element is walked again right
/// before it renders, each value is built to be tested and every
/// substitute rendered, as hayagriva 0.10.1 did: for tests that compare
/// the two.
#[doc(hidden)]
pub fn shortcuts(on: bool) {
    SHORTCUTS.set(on);
}

/// One element's answer in [`Walks`].
#[derive(Debug, Clone, Copy)]
struct Walked {
    info: (bool, UsageInfo),
    /// How many answers this element's walk wrote, its own included: the
    /// next sibling's answer follows them.
    len: usize,
    /// How many variables were suppressed when it was walked.
    suppressed: usize,
    /// The variables its walk asked about ([`variable_bit`]).
    queried: u128,
}

/// A variable's bit in a set of variables held as one number: shared by
/// a few variables (the set may then hold one more than asked, which only
/// makes a kept answer be asked again).
pub(super) fn variable_bit(variable: Variable) -> u128 {
    let (kind, place) = match variable {
        Variable::Standard(v) => (0, v as usize),
        Variable::Number(v) => (1, v as usize),
        Variable::Date(v) => (2, v as usize),
        Variable::Name(v) => (3, v as usize),
        Variable::Page(v) => (4, v as usize),
    };
    1 << ((kind * 23 + place) % 128)
}

/// Whether a walk made now can be written down for the render that follows.
fn walks_kept<T: EntryLike>(ctx: &Context<T>) -> bool {
    ctx.walks.keep
        && !ctx.writing.suppress_queried_variables
        && ctx.instance.kind.is_none()
}

/// Runs `walk`, the walk of one element, writing its answer down before
/// the answers of the elements within it.
fn logged<T: EntryLike>(
    ctx: &mut Context<T>,
    walk: impl FnOnce(&mut Context<T>) -> (bool, UsageInfo),
) -> (bool, UsageInfo) {
    let at = ctx.walks.log.len();
    let suppressed = ctx.writing.suppressed_variables.borrow().len();
    let placeholder = (false, UsageInfo::default());
    ctx.walks
        .log
        .push(Walked { info: placeholder, len: 1, suppressed, queried: 0 });
    let outer = ctx.writing.queried.replace(0);
    let info = walk(ctx);
    let queried = ctx.writing.queried.get();
    ctx.writing.queried.set(outer | queried);
    let len = ctx.walks.log.len() - at;
    ctx.walks.log[at] = Walked { info, len, suppressed, queried };
    info
}

/// Walks one element (`walk`) for its render, writing the walk down when
/// its answers can serve that render: the answer, and where it was written.
/// The caller truncates the log back to that place once the element has
/// rendered.
fn walk_for_render<T: EntryLike>(
    ctx: &mut Context<T>,
    walk: impl FnOnce(&mut Context<T>) -> (bool, UsageInfo),
) -> ((bool, UsageInfo), Option<usize>) {
    if !walks_kept(ctx) {
        return (walk(ctx), None);
    }
    let at = ctx.walks.log.len();
    ctx.walks.on = true;
    let info = logged(ctx, walk);
    ctx.walks.on = false;
    (info, Some(at))
}

/// The written-down answers for a run of sibling elements, in order.
struct Known(Option<usize>);

impl Known {
    /// The answers for the elements within the one written at `at`.
    fn within(at: Option<usize>) -> Self {
        Self(at.map(|at| at + 1))
    }

    /// The next sibling's answer and where it was written, if it holds.
    fn next<T: EntryLike>(
        &mut self,
        ctx: &Context<T>,
    ) -> Option<((bool, UsageInfo), usize)> {
        let at = self.0?;
        let walked = *ctx.walks.log.get(at)?;
        self.0 = Some(at + walked.len);
        if !walks_kept(ctx) {
            self.0 = None;
            return None;
        }
        // Variables are suppressed by appending them, never taken back:
        // those after the walk's count were suppressed since.
        let suppressed = ctx.writing.suppressed_variables.borrow();
        let since = suppressed.get(walked.suppressed..).unwrap_or_default();
        if since.iter().any(|v| variable_bit(*v) & walked.queried != 0) {
            return None;
        }
        Some((walked.info, at))
    }
}

impl RenderCsl for citationberg::Text {
    fn render<T: EntryLike>(&self, ctx: &mut Context<T>) {
        render_text(self, ctx, None);
    }

    fn render_known<T: EntryLike>(
        &self,
        ctx: &mut Context<T>,
        info: (bool, UsageInfo),
        at: Option<usize>,
    ) {
        render_text(self, ctx, Some((info.1, at)));
    }

    fn will_render<T: EntryLike>(&self, ctx: &mut Context<T>, var: Variable) -> bool {
        let Some(target) = ResolvedTextTarget::compute(self, ctx) else {
            return false;
        };
        match target {
            ResolvedTextTarget::StandardVariable(s, _) => var == Variable::Standard(s),
            ResolvedTextTarget::NumberVariable(n, _) => var == Variable::Number(n),
            ResolvedTextTarget::PageVariable(_) => {
                var == Variable::Page(PageVariable::Page)
            }
            ResolvedTextTarget::Macro(mac) => {
                mac.children.iter().any(|c| c.will_render(ctx, var))
            }
            ResolvedTextTarget::Term(_) => false,
            ResolvedTextTarget::Value(_) => false,
        }
    }

    fn will_have_info<T: EntryLike>(&self, ctx: &mut Context<T>) -> (bool, UsageInfo) {
        // If suppress_queried_variables is set to true, we need to perform a
        // silent lookup, otherwise we need to perform a regular lookup.
        let suppressing = ctx.writing.suppress_queried_variables;

        ctx.writing.stop_suppressing_queried_variables();
        let printed = prints_standard_variable(self, ctx);
        let lookup_result = match printed {
            Some(_) => None,
            None => ResolvedTextTarget::compute(self, ctx),
        };
        if suppressing {
            ctx.writing.start_suppressing_queried_variables();
        }
        if let Some(printed) = printed {
            let info = UsageInfo {
                has_vars: true,
                has_non_empty_vars: printed,
                ..Default::default()
            };
            return (printed, info);
        }
        let targets_variable = match self.target {
            // Year suffix is not counted as a variable
            TextTarget::Variable {
                var: Variable::Standard(StandardVariable::YearSuffix),
                ..
            } => false,
            TextTarget::Variable { .. } => true,
            _ => false,
        };

        let Some(target) = lookup_result else {
            return (
                false,
                UsageInfo { has_vars: targets_variable, ..Default::default() },
            );
        };

        match target {
            ResolvedTextTarget::StandardVariable(_, s) if s.is_empty() => {
                (false, UsageInfo { has_vars: true, ..Default::default() })
            }
            ResolvedTextTarget::StandardVariable(_, _)
            | ResolvedTextTarget::NumberVariable(_, _)
            | ResolvedTextTarget::PageVariable(_) => (
                true,
                UsageInfo {
                    has_vars: true,
                    has_non_empty_vars: true,
                    ..Default::default()
                },
            ),
            ResolvedTextTarget::Macro(mac) => {
                let mut will_print = false;
                let mut info = UsageInfo::default();
                for child in &mac.children {
                    let (print, child_info) = child.will_have_info(ctx);
                    will_print |= print;
                    info = info.merge_child(child_info)
                }

                // Treat macro as group: don't render if all variables are
                // empty.
                will_print &= info.should_render_group();

                (will_print, UsageInfo { has_used_macros: will_print, ..info })
            }
            ResolvedTextTarget::Term(_) => (true, UsageInfo::default()),
            ResolvedTextTarget::Value(v) => (!v.is_empty(), UsageInfo::default()),
        }
    }
}

/// Whether `text`, a standard variable's, prints: what
/// [`RenderCsl::will_have_info`] reads from the variable's value (there
/// or not, empty or not), asked without building the value, which is all a
/// walk did with it. `None` where the value is needed: for another target,
/// under a special form, for the year suffix and the citation label (the
/// processor makes those), and without shortcuts ([`shortcuts`]).
fn prints_standard_variable<T: EntryLike>(
    text: &citationberg::Text,
    ctx: &Context<T>,
) -> Option<bool> {
    let TextTarget::Variable { var: Variable::Standard(var), form } = text.target else {
        return None;
    };
    if !ctx.walks.keep
        || ctx.instance.kind.is_some()
        || matches!(var, StandardVariable::YearSuffix | StandardVariable::CitationLabel)
    {
        return None;
    }
    Some(
        ctx.writing.prepare_variable_query(var).is_some()
            && ctx.instance.entry.has_standard_variable(form, var),
    )
}

/// Renders `cs:text`; `known` is what [`RenderCsl::will_have_info`] has just
/// answered for it and where (see [`RenderCsl::render_known`]).
fn render_text<T: EntryLike>(
    text: &citationberg::Text,
    ctx: &mut Context<T>,
    known: Option<(UsageInfo, Option<usize>)>,
) {
    let Some(target) = ResolvedTextTarget::compute(text, ctx) else { return };
    let depth = ctx.push_elem(text.formatting);

    // Only print affixes if this macro is not used out of its original context.
    #[allow(clippy::match_like_matches_macro)]
    let print_affixes = match ctx.instance.kind {
        Some(SpecialForm::VarOnly(_))
            if matches!(&text.target, TextTarget::Macro { .. }) =>
        {
            false
        }
        _ => true,
    };

    /// Gets the url prefix for a given StandardVariable if one exists.
    ///
    /// These are those prefixes in the Appendix IV of the CSL 1.0.2 spec.
    fn get_url_prefix(var: StandardVariable) -> Option<&'static str> {
        match var {
            StandardVariable::DOI => Some("https://doi.org/"),
            StandardVariable::PMID => Some("https://www.ncbi.nlm.nih.gov/pubmed/"),
            StandardVariable::PMCID => Some("https://www.ncbi.nlm.nih.gov/pmc/articles/"),
            _ => None,
        }
    }

    // Check if a URL prefix exists for the target and if so, if the CSL specifies
    // the URL prefix as the affix. If this is the case, we want to make sure the
    // URL prefix is a part of the link (and therefore not printed here, but later).
    let affix_is_url_prefix = match &target {
        ResolvedTextTarget::StandardVariable(var, _) => get_url_prefix(*var)
            .is_some_and(|prefix| text.affixes.prefix.as_deref() == Some(prefix)),
        _ => false,
    };

    let affix_loc =
        (print_affixes && !affix_is_url_prefix).then(|| ctx.apply_prefix(&text.affixes));

    if text.quotes {
        ctx.push_quotes();
    }

    ctx.may_strip_periods(text.strip_periods);
    let cidx = ctx.push_case(text.text_case);

    let mut should_render = true;

    match target {
        ResolvedTextTarget::StandardVariable(var, val) => {
            if let Some(url_prefix) = get_url_prefix(var) {
                // For link variables, create the full URL for the destination of the link.
                let full_url = format!("{}{}", url_prefix, val);

                let (display, destination) = if affix_is_url_prefix {
                    // If the affix in the CSL was the URL prefix, then use
                    // the full URL as both the link displayed and its destination.
                    (full_url.clone(), full_url)
                } else {
                    // Otherwise, display the value (e.g. the DOI) with the full URL
                    // as its destination.
                    (val.to_string(), full_url)
                };

                ctx.push_link(&display.into(), destination);
            } else if var == StandardVariable::URL {
                ctx.push_link(&val, val.to_string());
            } else {
                ctx.push_chunked(&val);
            }
        }
        ResolvedTextTarget::NumberVariable(var, n) => match n {
            // A number from the entry prints as it is written ("99-02",
            // not the range "99–2"), as citeproc prints it.
            NumberVariableResult::Regular(MaybeTyped::Typed(_))
                if let Some(written) = number_as_written(ctx, var) =>
            {
                ctx.push_str(&written);
            }
            NumberVariableResult::Regular(MaybeTyped::Typed(num))
                if num.will_transform() =>
            {
                render_typed_num(num.as_ref(), NumberForm::default(), None, ctx);
            }
            NumberVariableResult::Regular(n) => ctx.push_str(&n.to_str()),
            NumberVariableResult::Transparent(n) => ctx.push_transparent(n),
        },
        ResolvedTextTarget::PageVariable(p) => match p {
            MaybeTyped::Typed(r) => render_page_range(&r, ctx),
            MaybeTyped::String(s) => ctx.push_str(&s.replace('-', "–")),
        },
        ResolvedTextTarget::Macro(mac) => {
            // Treat macros as groups: don't render if all variables are empty.
            let (info, at, walked) = match known {
                Some((info, at)) => (info, at, None),
                None => {
                    let (info, at) = walk_for_render(ctx, |ctx| text.will_have_info(ctx));
                    (info.1, at, at)
                }
            };
            should_render = info.should_render_group();
            if should_render {
                // Delimiters from ancestor delimiting elements are NOT
                // applied within.
                let idx = ctx.writing.push_delimiter(None);
                let mut known = Known::within(at);
                for child in &mac.children {
                    match known.next(ctx) {
                        Some((info, at)) => child.render_known(ctx, info, Some(at)),
                        None => child.render(ctx),
                    }
                }
                ctx.writing.pop_delimiter(idx);
            }
            if let Some(walked) = walked {
                ctx.walks.log.truncate(walked);
            }
        }
        ResolvedTextTarget::Term(s) => ctx.push_str(s),
        ResolvedTextTarget::Value(val) => ctx.push_str(val),
    }

    ctx.pop_case(cidx);
    ctx.stop_stripping_periods();

    if text.quotes {
        ctx.pop_quotes();
        ctx.may_pull_punctuation();
    }

    if let Some(affix_loc) = affix_loc {
        ctx.apply_suffix(&text.affixes, affix_loc);
    }
    if should_render {
        ctx.commit_elem(
            depth,
            text.display,
            match text.target {
                TextTarget::Variable { var, .. }
                    if var == NumberVariable::CitationNumber.into() =>
                {
                    Some(ElemMeta::CitationNumber)
                }
                TextTarget::Variable { var, .. }
                    if var == StandardVariable::CitationLabel.into() =>
                {
                    Some(ElemMeta::CitationLabel)
                }
                TextTarget::Variable { .. } => Some(ElemMeta::Text),
                _ => None,
            },
        );
    } else {
        ctx.discard_elem(depth);
    }
}

#[derive(Debug)]
enum ResolvedTextTarget<'a, 'b> {
    StandardVariable(StandardVariable, Cow<'a, ChunkedString>),
    NumberVariable(NumberVariable, NumberVariableResult<'a>),
    PageVariable(PageVariableResult),
    Macro(&'a CslMacro),
    Term(&'a str),
    Value(&'b str),
}

impl<'a, 'b> ResolvedTextTarget<'a, 'b> {
    fn compute<T: EntryLike>(
        text: &'b citationberg::Text,
        ctx: &mut Context<'a, T>,
    ) -> Option<Self> {
        match ctx.instance.kind {
            // If we are supposed to print a variable we need to return if this
            // is neither a macro nor that variable.
            Some(SpecialForm::VarOnly(v))
                if !matches!(&text.target, TextTarget::Macro { .. }) =>
            {
                match text.target {
                    TextTarget::Variable { var, .. } if var == v => {}
                    _ => return None,
                }
            }
            Some(SpecialForm::OnlyFirstDate | SpecialForm::OnlyYearSuffix)
                if !matches!(&text.target, TextTarget::Macro { .. })
                    && !matches!(
                        text.target,
                        TextTarget::Variable {
                            var: Variable::Standard(StandardVariable::YearSuffix)
                                | Variable::Number(NumberVariable::Locator),
                            ..
                        },
                    ) =>
            {
                return None;
            }
            _ => {}
        }

        match &text.target {
            TextTarget::Variable { var: Variable::Standard(var), form } => ctx
                .resolve_standard_variable(*form, *var)
                .map(|s| ResolvedTextTarget::StandardVariable(*var, s)),
            TextTarget::Variable { var: Variable::Number(var), .. } => ctx
                .resolve_number_variable(*var)
                .map(|n| ResolvedTextTarget::NumberVariable(*var, n)),
            TextTarget::Variable { var: Variable::Page(pv), .. } => {
                ctx.resolve_page_variable(*pv).map(ResolvedTextTarget::PageVariable)
            }
            TextTarget::Variable { .. } => None,
            TextTarget::Macro { name } => {
                ctx.style.get_macro(name).map(ResolvedTextTarget::Macro)
            }
            TextTarget::Term { term, form, plural } => {
                ctx.term(*term, *form, *plural).map(ResolvedTextTarget::Term)
            }
            TextTarget::Value { val } => Some(ResolvedTextTarget::Value(val)),
        }
    }
}

/// A number variable of the entry as the entry writes it, when it has a
/// written form (not for the locator or the numbers the processor assigns).
fn number_as_written<T: EntryLike>(
    ctx: &Context<T>,
    var: NumberVariable,
) -> Option<String> {
    if matches!(
        var,
        NumberVariable::Locator
            | NumberVariable::CitationNumber
            | NumberVariable::FirstReferenceNoteNumber
    ) {
        return None;
    }
    Some(
        ctx.instance
            .entry
            .resolve_number_variable_as_written(var)?
            .into_owned(),
    )
}

impl RenderCsl for citationberg::Number {
    fn render<T: EntryLike>(&self, ctx: &mut Context<T>) {
        if !self.will_render(ctx, self.variable.into()) {
            return;
        }

        let value = ctx.resolve_number_or_page_variable(self.variable);
        if ctx.instance.sorting.is_some() {
            match value {
                Some(NumberOrPageVariableResult::Number(
                    NumberVariableResult::Regular(MaybeTyped::Typed(n)),
                )) => {
                    n.fmt_value(ctx, true).unwrap();
                    return;
                }
                Some(NumberOrPageVariableResult::Page(MaybeTyped::Typed(p))) => {
                    write!(ctx, "{p}").unwrap();
                    return;
                }
                _ => {}
            }
        }

        let depth = ctx.push_elem(self.formatting);
        let affix_loc = ctx.apply_prefix(&self.affixes);
        let cidx = ctx.push_case(self.text_case);
        let gender = ctx.gender(self.variable.into());

        match value {
            Some(NumberOrPageVariableResult::Number(NumberVariableResult::Regular(
                MaybeTyped::Typed(num),
            ))) if num.will_transform() => {
                render_typed_num(num.as_ref(), self.form, gender, ctx);
            }

            Some(NumberOrPageVariableResult::Number(NumberVariableResult::Regular(
                MaybeTyped::Typed(num),
            ))) => write!(ctx, "{num}").unwrap(),

            Some(NumberOrPageVariableResult::Number(NumberVariableResult::Regular(
                MaybeTyped::String(s),
            ))) => ctx.push_str(&s),

            Some(NumberOrPageVariableResult::Number(
                NumberVariableResult::Transparent(n),
            )) => ctx.push_transparent(n),

            Some(NumberOrPageVariableResult::Page(MaybeTyped::Typed(p))) => {
                render_page_range(&p, ctx)
            }

            Some(NumberOrPageVariableResult::Page(MaybeTyped::String(s))) => {
                ctx.push_str(&s)
            }

            None => {}
        }

        ctx.pop_case(cidx);
        ctx.apply_suffix(&self.affixes, affix_loc);
        ctx.commit_elem(
            depth,
            self.display,
            Some(
                if self.variable
                    == NumberOrPageVariable::Number(NumberVariable::CitationNumber)
                {
                    ElemMeta::CitationNumber
                } else {
                    ElemMeta::Number
                },
            ),
        );
    }

    fn will_render<T: EntryLike>(&self, ctx: &mut Context<T>, var: Variable) -> bool {
        match ctx.instance.kind {
            Some(SpecialForm::VarOnly(Variable::Number(n)))
                if self.variable != NumberOrPageVariable::Number(n) =>
            {
                return false;
            }
            Some(SpecialForm::OnlyFirstDate | SpecialForm::OnlyYearSuffix) => {
                return matches!(
                    self.variable,
                    NumberOrPageVariable::Number(NumberVariable::Locator)
                );
            }
            Some(SpecialForm::VarOnly(_)) => return false,
            _ => {}
        }

        var == Variable::from(self.variable)
    }

    fn will_have_info<T: EntryLike>(&self, ctx: &mut Context<T>) -> (bool, UsageInfo) {
        if self.will_render(ctx, self.variable.into()) {
            // If suppress_queried_variables is set to true, we need to perform a
            // silent lookup, otherwise we need to perform a regular lookup.
            let suppressing = ctx.writing.suppress_queried_variables;
            ctx.writing.stop_suppressing_queried_variables();
            let lookup_result = ctx.resolve_number_or_page_variable(self.variable);

            if suppressing {
                ctx.writing.start_suppressing_queried_variables();
            }

            (
                lookup_result.is_some(),
                UsageInfo {
                    has_vars: true,
                    has_non_empty_vars: lookup_result.is_some(),
                    ..Default::default()
                },
            )
        } else {
            (false, UsageInfo { has_vars: true, ..Default::default() })
        }
    }
}

fn render_typed_num<T: EntryLike>(
    num: &Numeric,
    form: NumberForm,
    gender: Option<GrammarGender>,
    ctx: &mut Context<T>,
) {
    num.with_form(ctx, form, gender, &ctx.ordinal_lookup()).unwrap();
}

fn render_page_range<T: EntryLike>(range: &PageRanges, ctx: &mut Context<T>) {
    let format = ctx.style.csl.settings.page_range_format.unwrap_or_default();
    let delim = ctx
        .term(OtherTerm::PageRangeDelimiter.into(), TermForm::default(), false)
        .or(Some("–"));

    range
        .ranges
        .iter()
        .try_for_each(|r| match r {
            crate::PageRangesPart::Ampersand => ctx.write_str(" & "),
            crate::PageRangesPart::Comma => ctx.write_str(", "),
            crate::PageRangesPart::EscapedRange(start, end) => PageRangeFormat::Expanded
                .format(ctx, &start.to_string(), &end.to_string(), delim),
            crate::PageRangesPart::SinglePage(page) => ctx.write_str(&page.to_string()),
            crate::PageRangesPart::Range(start, end) => {
                format.format(ctx, &start.to_string(), &end.to_string(), delim)
            }
        })
        .unwrap();
}

fn label_pluralization(
    label: &citationberg::Label,
    variable: NumberVariableResult,
) -> bool {
    match label.label.plural {
        LabelPluralize::Always => true,
        LabelPluralize::Never => false,
        LabelPluralize::Contextual => match variable {
            NumberVariableResult::Regular(MaybeTyped::String(_)) => false,
            NumberVariableResult::Regular(MaybeTyped::Typed(n)) => {
                if let NumberOrPageVariable::Number(v) = label.variable {
                    n.is_plural(v.is_number_of_variable())
                } else {
                    panic!("Incompatible variable types")
                }
            }
            NumberVariableResult::Transparent(_) => false,
        },
    }
}

impl RenderCsl for citationberg::Label {
    fn render<T: EntryLike>(&self, ctx: &mut Context<T>) {
        if !self.will_have_info(ctx).0 {
            return;
        }

        match self.variable {
            NumberOrPageVariable::Number(n) => {
                let Some(variable) = ctx.resolve_number_variable(n) else {
                    return;
                };

                let depth = ctx.push_elem(citationberg::Formatting::default());
                let plural = label_pluralization(self, variable);

                let content = ctx
                    .term(Term::from(self.variable), self.label.form, plural)
                    .unwrap_or_default();

                render_label_with_var(&self.label, ctx, content);
                ctx.commit_elem(depth, None, Some(ElemMeta::Label));
            }
            NumberOrPageVariable::Page(pv) => {
                let Some(p) = ctx.resolve_page_variable(pv) else {
                    return;
                };

                let depth = ctx.push_elem(citationberg::Formatting::default());
                let plural = p.as_typed().is_some_and(|p| p.is_plural());

                let content =
                    ctx.term(Term::from(pv), self.label.form, plural).unwrap_or_default();

                render_label_with_var(&self.label, ctx, content);
                ctx.commit_elem(depth, None, Some(ElemMeta::Label));
            }
        }
    }

    fn will_render<T: EntryLike>(&self, _ctx: &mut Context<T>, _var: Variable) -> bool {
        false
    }

    fn will_have_info<T: EntryLike>(&self, ctx: &mut Context<T>) -> (bool, UsageInfo) {
        match ctx.instance.kind {
            Some(SpecialForm::VarOnly(Variable::Number(n)))
                if self.variable != NumberOrPageVariable::Number(n) =>
            {
                return (false, UsageInfo::default());
            }
            Some(
                SpecialForm::VarOnly(_)
                | SpecialForm::OnlyFirstDate
                | SpecialForm::OnlyYearSuffix,
            ) if self.variable
                != NumberOrPageVariable::Number(NumberVariable::Locator) =>
            {
                return (true, UsageInfo::default());
            }
            _ => {}
        }

        // Never yield a label if the locator is set to custom.
        if self.variable == NumberOrPageVariable::Number(NumberVariable::Locator)
            && ctx
                .instance
                .cite_props
                .speculative
                .locator
                .as_ref()
                .is_some_and(|l| l.0 == Locator::Custom)
        {
            return (false, UsageInfo::default());
        }

        match self.variable {
            NumberOrPageVariable::Number(n) => {
                if let Some(num) = ctx.resolve_number_variable(n) {
                    let plural = label_pluralization(self, num);
                    (
                        ctx.term(Term::from(self.variable), self.label.form, plural)
                            .is_some(),
                        UsageInfo::default(),
                    )
                } else {
                    (false, UsageInfo::default())
                }
            }
            NumberOrPageVariable::Page(pv) => {
                if let Some(p) = ctx.resolve_page_variable(pv) {
                    let plural = p.as_typed().is_some_and(|p| p.is_plural());
                    (
                        ctx.term(Term::from(pv), self.label.form, plural).is_some(),
                        UsageInfo::default(),
                    )
                } else {
                    (false, UsageInfo::default())
                }
            }
        }
    }
}

fn render_label_with_var<T: EntryLike>(
    label: &citationberg::VariablelessLabel,
    ctx: &mut Context<T>,
    content: &str,
) {
    if content.is_empty() {
        return;
    }

    let idx = ctx.push_format(label.formatting);

    let affixes = &label.affixes;
    let affix_loc = ctx.apply_prefix(affixes);

    ctx.may_strip_periods(label.strip_periods);
    let cidx = ctx.push_case(label.text_case);

    ctx.push_str(content);

    ctx.pop_case(cidx);
    ctx.stop_stripping_periods();
    ctx.apply_suffix(affixes, affix_loc);
    ctx.pop_format(idx);
}

impl RenderCsl for citationberg::Date {
    fn render<T: EntryLike>(&self, ctx: &mut Context<T>) {
        let Some(variable) = self.variable else { return };
        if !self.will_render(ctx, variable.into()) {
            return;
        }

        let Some(date) = ctx.resolve_date_variable(variable) else { return };

        if let Some(sorting) = ctx.instance.sorting {
            let year;
            let mut month = false;
            let mut day = false;

            if self.is_localized() {
                match self.parts {
                    Some(DateParts::Year) => year = true,
                    Some(DateParts::YearMonth) => {
                        year = true;
                        month = true;
                    }
                    Some(DateParts::YearMonthDay) | None => {
                        year = true;
                        month = true;
                        day = true;
                    }
                }
            } else if sorting == Sorting::Variable {
                // According to the CSL 1.0.2 spec (section "Sorting"):
                //
                // "Number variables rendered within the macro with cs:number
                // and date variables are treated the same as when they are
                // called via variable. The only exception is that the complete
                // date is returned if a date variable is called via the
                // variable attribute. In contrast, macros return only those
                // date-parts that would otherwise be rendered (...)."
                year = true;
                month = true;
                day = true;
            } else {
                year = self.date_part.iter().any(|i| i.name == DatePartName::Year);
                month = self.date_part.iter().any(|i| i.name == DatePartName::Month);
                day = self.date_part.iter().any(|i| i.name == DatePartName::Day);
            }

            if year {
                // Smart hack taken from citeproc: This prints negative (BC) dates as N(999,999,999 + y)
                // and positive (AD) dates as Py so they sort properly. (Use i32::MAX to avoid problems
                // with large dates.)
                let (prefix, yr) = if date.year < 0 {
                    ("N", i32::MAX + date.year)
                } else {
                    ("P", date.year)
                };
                write!(ctx, "{prefix}{yr:09}").unwrap();
                render_year_suffix_implicitly(ctx);
            }

            if month {
                write!(
                    ctx,
                    "{:02}",
                    date.month.map(|m| m as i32 + 1).unwrap_or_default()
                )
                .unwrap();
            }

            if day {
                write!(ctx, "{:02}", date.day.map(|d| d as i32 + 1).unwrap_or_default())
                    .unwrap();
            }

            return;
        }

        let base = if let Some(form) = self.form {
            // Localized date formats can fail to print anything at all,
            // especially if no locale is set.
            let Some(base) = ctx.localized_date(form) else { return };
            Some(base)
        } else {
            None
        };

        let first = ctx.is_first_date();
        let formatting = base
            .map(|b| self.formatting.apply(b.formatting))
            .unwrap_or(self.formatting);
        let depth = ctx.push_elem(formatting);

        let affix_loc = ctx.apply_prefix(&self.affixes);

        let cidx = ctx.push_case(self.text_case.or(base.and_then(|b| b.text_case)));

        let parts = self.parts.or(base.and_then(|b| b.parts)).unwrap_or_default();

        let mut last_was_empty = true;

        // Localized (base) delimiter takes precedence over the cs:date
        // element's delimiter attribute, which should be ignored if a locale's
        // date form is used, according to the CSL 1.0.2 spec (under "Style
        // Behavior"):
        //
        // "Delimiter
        //
        // The delimiter attribute, whose value delimits non-empty pieces of
        // output, may be set on cs:date (delimiting the date-parts; delimiter
        // is not allowed when cs:date calls a localized date format)"
        let chosen_delim = match base {
            Some(base) => base.delimiter.as_deref(),
            None => self.delimiter.as_deref(),
        };

        let shown: Vec<&citationberg::DatePart> = base
            .unwrap_or(self)
            .date_part
            .iter()
            .filter(|part| match part.name {
                DatePartName::Month => parts.has_month() || date.season.is_some(),
                DatePartName::Day => parts.has_day(),
                DatePartName::Year => true,
            })
            .collect();

        // A date range prints the parts that differ twice, joined by the
        // range delimiter of the largest of them ("1984–1986",
        // "June 10–12, 2019", "May 30–June 2, 2019"), and the others once.
        let end = ctx.instance.entry.resolve_date_range_end(variable);
        let range = end.as_deref().and_then(|end| {
            let block = date_range_block(&shown, &date, end)?;
            Some((end, block))
        });

        let mut i = 0;
        while i < shown.len() {
            let in_block = range.as_ref().filter(|(_, (from, _, _))| *from == i);
            let Some((end, (from, to, largest))) = in_block else {
                let part = shown[i];
                let over_ride = base
                    .is_some()
                    .then(|| self.date_part.iter().find(|p| p.name == part.name))
                    .flatten();
                let cursor = ctx.writing.len();
                if !last_was_empty && let Some(delim) = chosen_delim {
                    ctx.push_str(delim);
                }
                render_date_part(part, &date, ctx, over_ride, first);
                last_was_empty = cursor == ctx.writing.len();
                i += 1;
                continue;
            };
            for (k, d) in [(0, date.as_ref()), (1, *end)] {
                if k == 1 {
                    let delim = shown[*largest].range_delimiter.as_deref().unwrap_or("–");
                    ctx.push_str(delim);
                    last_was_empty = true;
                }
                for part in &shown[*from..*to] {
                    let over_ride = base
                        .is_some()
                        .then(|| self.date_part.iter().find(|p| p.name == part.name))
                        .flatten();
                    let cursor = ctx.writing.len();
                    if !last_was_empty && let Some(delim) = chosen_delim {
                        ctx.push_str(delim);
                    }
                    // The year suffix follows the end's year ("1984–1986a").
                    render_date_part(part, d, ctx, over_ride, first && k == 1);
                    last_was_empty = cursor == ctx.writing.len();
                }
            }
            i = *to;
        }

        ctx.pop_case(cidx);
        ctx.apply_suffix(&self.affixes, affix_loc);
        ctx.commit_elem(depth, self.display, Some(ElemMeta::Date));
    }

    fn will_render<T: EntryLike>(&self, ctx: &mut Context<T>, var: Variable) -> bool {
        match ctx.instance.kind {
            Some(SpecialForm::VarOnly(Variable::Date(d))) if self.variable != Some(d) => {
                return false;
            }
            Some(SpecialForm::OnlyFirstDate | SpecialForm::OnlyYearSuffix) => {
                return ctx.peek_is_first_date();
            }
            Some(SpecialForm::VarOnly(_)) => return false,
            _ => {}
        }

        Some(var) == self.variable.map(Variable::Date)
    }

    fn will_have_info<T: EntryLike>(&self, ctx: &mut Context<T>) -> (bool, UsageInfo) {
        let suppressing = ctx.writing.suppress_queried_variables;
        ctx.writing.stop_suppressing_queried_variables();
        let Some(variable) = self.variable else {
            return (false, UsageInfo { has_vars: true, ..Default::default() });
        };

        if suppressing {
            ctx.writing.start_suppressing_queried_variables();
        }

        if !self.will_render(ctx, variable.into()) {
            (false, UsageInfo::default())
        } else {
            let has_non_empty_vars = ctx.resolve_date_variable(variable).is_some();
            (
                has_non_empty_vars,
                UsageInfo {
                    has_vars: true,
                    has_non_empty_vars,
                    ..Default::default()
                },
            )
        }
    }
}

/// The parts of a date range that differ between its start and `end`, as
/// `(from, to, largest)`: the range `shown[from..to]` printed for both, and
/// the index of the largest differing part (its range delimiter joins
/// them). `None` when the shown parts do not differ. The block holds the
/// largest differing part and every smaller one; when those are not
/// adjacent, every part.
fn date_range_block(
    shown: &[&citationberg::DatePart],
    start: &Date,
    end: &Date,
) -> Option<(usize, usize, usize)> {
    let rank = |name: DatePartName| match name {
        DatePartName::Year => 0,
        DatePartName::Month => 1,
        DatePartName::Day => 2,
    };
    let differs = |name: DatePartName| match name {
        DatePartName::Year => start.year != end.year,
        DatePartName::Month => start.month != end.month || start.season != end.season,
        DatePartName::Day => start.day != end.day,
    };
    let largest = shown
        .iter()
        .enumerate()
        .filter(|(_, p)| differs(p.name))
        .min_by_key(|(_, p)| rank(p.name))?
        .0;
    let in_block: Vec<usize> = (0..shown.len())
        .filter(|&i| rank(shown[i].name) >= rank(shown[largest].name))
        .collect();
    let (from, to) = (in_block[0], in_block[in_block.len() - 1] + 1);
    if to - from == in_block.len() {
        Some((from, to, largest))
    } else {
        Some((0, shown.len(), largest))
    }
}

fn render_date_part<T: EntryLike>(
    date_part: &citationberg::DatePart,
    date: &Date,
    ctx: &mut Context<T>,
    over_ride: Option<&citationberg::DatePart>,
    first: bool,
) {
    let Some(val) = (match date_part.name {
        DatePartName::Day => date.day.map(|i| i as i32 + 1),
        DatePartName::Month => {
            // Fallback for month is the season
            date.month
                .map(|i| i as i32 + 1)
                .or(date.season.map(|s| s.to_csl_number() as i32))
        }
        DatePartName::Year => Some(date.year),
    }) else {
        return;
    };

    let is_only_suffix = ctx.instance.kind == Some(SpecialForm::OnlyYearSuffix);
    let form = over_ride
        .map(citationberg::DatePart::form)
        .unwrap_or_else(|| date_part.form());

    let formatting = over_ride
        .map(|p| p.formatting.apply(date_part.formatting))
        .unwrap_or(date_part.formatting);

    let idx = ctx.push_format(formatting);

    let affixes = &date_part.affixes;
    let affix_loc = (!is_only_suffix).then(|| ctx.apply_prefix(affixes));
    if date_part.name == DatePartName::Month {
        ctx.may_strip_periods(date_part.strip_periods);
    }

    let cidx = ctx.push_case(over_ride.and_then(|o| o.text_case).or(date_part.text_case));

    if !is_only_suffix {
        match form {
            DateStrongAnyForm::Month(_) if date.month.is_none() => {
                debug_assert!(date.season.is_some());
                let Some(season) = date.season else {
                    return;
                };
                let season_term = season.into();
                let Some(season) =
                    ctx.term(Term::Other(season_term), TermForm::Short, false)
                else {
                    return;
                };
                write!(ctx, "{season}").unwrap();
            }
            DateStrongAnyForm::Day(DateDayForm::NumericLeadingZeros)
            | DateStrongAnyForm::Month(DateMonthForm::NumericLeadingZeros) => {
                write!(ctx, "{val:02}").unwrap();
            }
            DateStrongAnyForm::Day(DateDayForm::Ordinal)
                if val == 1
                    || !ctx
                        .style
                        .lookup_locale(|l| {
                            Some(
                                l.style_options
                                    .and_then(|o| o.limit_day_ordinals_to_day_1)
                                    .unwrap_or_default(),
                            )
                        })
                        .unwrap_or_default() =>
            {
                let gender = date
                    .month
                    .and_then(OtherTerm::month)
                    .and_then(|m| ctx.gender(m.into()));

                write!(
                    ctx,
                    "{}{}",
                    val,
                    ctx.ordinal_lookup().lookup(val, gender).unwrap_or_default()
                )
                .unwrap();
            }
            DateStrongAnyForm::Day(DateDayForm::Numeric | DateDayForm::Ordinal)
            | DateStrongAnyForm::Month(DateMonthForm::Numeric) => {
                write!(ctx, "{val}").unwrap();
            }
            DateStrongAnyForm::Month(DateMonthForm::Long) => {
                if let Some(month) = OtherTerm::month((val - 1) as u8)
                    .and_then(|m| ctx.term(m.into(), TermForm::Long, false))
                {
                    ctx.push_str(month);
                } else {
                    write!(ctx, "{val}").unwrap();
                }
            }
            DateStrongAnyForm::Month(DateMonthForm::Short) => {
                if let Some(month) = OtherTerm::month((val - 1) as u8)
                    .and_then(|m| ctx.term(m.into(), TermForm::Short, false))
                {
                    ctx.push_str(month);
                } else {
                    write!(ctx, "{val}").unwrap();
                }
            }
            DateStrongAnyForm::Year(brevity) => {
                // `write_year` prints an era only before the year 1000: the
                // two term lookups (each a scan of the locales) wait for it.
                let (ad, bc) = if val < 1000 {
                    (
                        ctx.term(Term::Other(OtherTerm::Ad), TermForm::default(), false)
                            .unwrap_or(" AD"),
                        ctx.term(Term::Other(OtherTerm::Bc), TermForm::default(), false)
                            .unwrap_or(" BC"),
                    )
                } else {
                    ("", "")
                };
                write_year(val, brevity == LongShortForm::Short, ctx, ad, bc).unwrap();
            }
        }
    }

    if let DateStrongAnyForm::Year(_) = form
        && first
    {
        render_year_suffix_implicitly(ctx);
    }

    if let Some(affix_loc) = affix_loc {
        ctx.apply_suffix(affixes, affix_loc);
    }
    ctx.stop_stripping_periods();
    ctx.pop_case(cidx);
    ctx.pop_format(idx);
}

/// Render the year suffix if it is set and the style will not render it
/// explicitly.
fn render_year_suffix_implicitly<T: EntryLike>(ctx: &mut Context<T>) {
    // Without a year suffix there is nothing to print, and deciding whether
    // the style prints it explicitly walks both of its layouts, resolving
    // every variable on the way (a tenth of a bibliography entry's cost).
    // The walk is skipped only where it cannot leave a trace: in a
    // bibliography entry (a citation records which identifiers and
    // disambiguation tests it met) and outside `cs:substitute` (which
    // suppresses each variable queried).
    if ctx.bibliography
        && !ctx.writing.suppress_queried_variables
        && !matches!(
            ctx.instance.cite_props.speculative.disambiguation,
            DisambiguateState::YearSuffix(_)
        )
    {
        return;
    }
    if ctx.renders_year_suffix_implicitly()
        && let Some(year_suffix) = ctx.resolve_standard_variable(
            LongShortForm::default(),
            StandardVariable::YearSuffix,
        )
    {
        ctx.push_chunked(year_suffix.as_ref());
    }
}

fn choose_children<F, R, T: EntryLike>(
    choose: &citationberg::Choose,
    ctx: &mut Context<T>,
    mut f: F,
) -> Option<R>
where
    F: FnMut(&[LayoutRenderingElement], &mut Context<T>) -> R,
{
    let suppressed = ctx.writing.suppress_queried_variables;
    ctx.writing.stop_suppressing_queried_variables();
    let branch = choose
        .branches()
        .find(|branch| branch.match_.test(BranchConditionIter::from_branch(branch, ctx)));
    ctx.writing.suppress_queried_variables = suppressed;

    branch
        .map(|b| b.children.as_slice())
        .or_else(|| choose.otherwise.as_ref().map(|f| f.children.as_slice()))
        .map(|children| f(children, ctx))
}

impl RenderCsl for citationberg::Choose {
    fn render<T: EntryLike>(&self, ctx: &mut Context<T>) {
        self.render_known(ctx, (true, UsageInfo::default()), None);
    }

    fn render_known<T: EntryLike>(
        &self,
        ctx: &mut Context<T>,
        _: (bool, UsageInfo),
        at: Option<usize>,
    ) {
        // While the walk's answers hold, the branch chosen now is the one
        // walked: its children's answers follow the one at `at`.
        choose_children(self, ctx, |children, ctx| {
            // Propagate parent group's delimiter to 'choose' output, as
            // required by CSL, by not pushing a delimiter to the stack.
            render_with_delimiter(children, ctx, Known::within(at));
        });
    }

    fn will_render<T: EntryLike>(&self, ctx: &mut Context<T>, var: Variable) -> bool {
        choose_children(self, ctx, |children, ctx| {
            children.iter().any(|c| c.will_render(ctx, var))
        })
        .unwrap_or_default()
    }

    fn will_have_info<T: EntryLike>(&self, ctx: &mut Context<T>) -> (bool, UsageInfo) {
        choose_children(self, ctx, |children, ctx| {
            let mut info = UsageInfo::default();
            let mut will_print = false;

            for child in children {
                let (print, child_info) = child.will_have_info(ctx);
                will_print |= print;
                info = info.merge_child(child_info);
            }

            (will_print, info)
        })
        .unwrap_or_else(|| (false, UsageInfo::default()))
    }
}

/// Render `children` with the delimiter in `ctx` between them.
///
/// The delimiter can be updated by [`ctx.writing.push_delimiter`][super::WritingContext::push_delimiter]
/// and [`ctx.writing.pop_delimiter`][super::WritingContext::pop_delimiter].
///
/// `known` are the children's answers when they were walked already.
fn render_with_delimiter<T: EntryLike>(
    children: &[LayoutRenderingElement],
    ctx: &mut Context<T>,
    mut known: Known,
) {
    let delimiter = ctx.writing.delimiters.last().clone();

    let mut first = true;
    let mut loc = None;

    for child in children {
        // Asking outside `cs:substitute` leaves no trace, so the answer
        // still holds when the child renders (nothing renders in between
        // but the delimiter): it is handed to it, not asked again.
        let traceless = !ctx.writing.suppress_queried_variables;
        // Do not render the child if it will not print anything.
        let (info, at, walked) = match known.next(ctx) {
            Some((info, at)) => (info, Some(at), None),
            None => {
                let (info, at) = walk_for_render(ctx, |ctx| walk(child, ctx));
                (info, at, at)
            }
        };
        if !info.0 {
            if let Some(walked) = walked {
                ctx.walks.log.truncate(walked);
            }
            continue;
        }

        if !first && let Some(delim) = &delimiter {
            let prev_loc = std::mem::take(&mut loc);

            if let Some(prev_loc) = prev_loc {
                ctx.commit_elem(prev_loc, None, None);
            }

            loc = Some(ctx.push_elem(citationberg::Formatting::default()));
            ctx.push_str(delim);
        }
        first = false;

        let pos = ctx.push_elem(citationberg::Formatting::default());
        if traceless {
            child.render_known(ctx, info, at);
        } else {
            child.render(ctx);
        }
        ctx.commit_elem(pos, None, None);
        if let Some(walked) = walked {
            ctx.walks.log.truncate(walked);
        }
    }

    if let Some(loc) = loc {
        ctx.commit_elem(loc, None, None);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BranchConditionPos {
    Disambiguate,
    IsNumeric,
    IsUncertainDate,
    Locator,
    Position,
    Type,
    Variable,
}

impl Iterator for BranchConditionPos {
    type Item = Self;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Self::Disambiguate => {
                *self = Self::IsNumeric;
                Some(Self::Disambiguate)
            }
            Self::IsNumeric => {
                *self = Self::IsUncertainDate;
                Some(Self::IsNumeric)
            }
            Self::IsUncertainDate => {
                *self = Self::Locator;
                Some(Self::IsUncertainDate)
            }
            Self::Locator => {
                *self = Self::Position;
                Some(Self::Locator)
            }
            Self::Position => {
                *self = Self::Type;
                Some(Self::Position)
            }
            Self::Type => {
                *self = Self::Variable;
                Some(Self::Type)
            }
            Self::Variable => None,
        }
    }
}

struct BranchConditionIter<'a, 'b, T: EntryLike> {
    cond: &'a ChooseBranch,
    ctx: &'a mut Context<'b, T>,
    pos: BranchConditionPos,
    idx: usize,
}

impl<'a, 'b, T: EntryLike> BranchConditionIter<'a, 'b, T> {
    fn from_branch(cond: &'a ChooseBranch, ctx: &'a mut Context<'b, T>) -> Self {
        Self {
            cond,
            ctx,
            pos: BranchConditionPos::Disambiguate,
            idx: 0,
        }
    }

    fn next_case(&mut self) {
        self.pos.next();
        self.idx = 0;
    }
}

impl<T: EntryLike> Iterator for BranchConditionIter<'_, '_, T> {
    type Item = bool;

    fn next(&mut self) -> Option<Self::Item> {
        match self.pos {
            BranchConditionPos::Disambiguate => {
                self.pos.next();
                if let Some(d) = self.cond.disambiguate {
                    Some(d == self.ctx.should_disambiguate())
                } else {
                    self.next()
                }
            }
            BranchConditionPos::IsNumeric => {
                if let Some(vars) = &self.cond.is_numeric {
                    if self.idx >= vars.len() {
                        self.next_case();
                        return self.next();
                    }

                    let var = vars[self.idx];
                    self.idx += 1;

                    Some(match var {
                        Variable::Standard(var) => self
                            .ctx
                            .resolve_standard_variable(LongShortForm::default(), var)
                            .map(|v| Numeric::from_str(&v.to_string()).is_ok())
                            .unwrap_or_default(),
                        Variable::Number(var) => matches!(
                            self.ctx.resolve_number_variable(var),
                            Some(NumberVariableResult::Regular(MaybeTyped::Typed(_)))
                        ),
                        Variable::Page(var) => matches!(
                            self.ctx.resolve_page_variable(var),
                            Some(MaybeTyped::Typed(_))
                        ),
                        _ => false,
                    })
                } else {
                    self.next_case();
                    self.next()
                }
            }
            BranchConditionPos::IsUncertainDate => {
                if let Some(vars) = &self.cond.is_uncertain_date {
                    if self.idx >= vars.len() {
                        self.next_case();
                        return self.next();
                    }

                    let var = vars[self.idx];
                    self.idx += 1;

                    Some(
                        self.ctx
                            .resolve_date_variable(var)
                            .is_some_and(|d| d.approximate),
                    )
                } else {
                    self.next_case();
                    self.next()
                }
            }
            BranchConditionPos::Locator => {
                if let Some(locs) = &self.cond.locator {
                    if self.idx >= locs.len() {
                        self.next_case();
                        return self.next();
                    }

                    let loc = locs[self.idx];
                    self.idx += 1;

                    Some(
                        self.ctx
                            .instance
                            .cite_props
                            .speculative
                            .locator
                            .as_ref()
                            .is_some_and(|l| l.0 == loc),
                    )
                } else {
                    self.next_case();
                    self.next()
                }
            }
            BranchConditionPos::Position => {
                if let Some(pos) = &self.cond.position {
                    // CSL 1.0.2 spec ("Choose" > "position"): "When called
                    // within the scope of cs:bibliography, position tests
                    // 'false'."
                    if self.ctx.bibliography || self.idx >= pos.len() {
                        self.next_case();
                        return self.next();
                    }

                    let spec_pos = pos[self.idx];
                    self.idx += 1;

                    let props = &self.ctx.instance.cite_props;

                    Some(match spec_pos {
                        TestPosition::First => props.certain.is_first,
                        TestPosition::Subsequent => !props.certain.is_first,
                        TestPosition::Ibid => {
                            matches!(
                                props.speculative.ibid,
                                IbidState::Ibid | IbidState::IbidWithLocator
                            )
                        }
                        TestPosition::IbidWithLocator => {
                            matches!(props.speculative.ibid, IbidState::IbidWithLocator)
                        }
                        TestPosition::NearNote => props.certain.is_near_note,
                    })
                } else {
                    self.next_case();
                    self.next()
                }
            }
            BranchConditionPos::Type => {
                if let Some(kind) = &self.cond.type_ {
                    if self.idx >= kind.len() {
                        self.next_case();
                        return self.next();
                    }

                    let kind = kind[self.idx];
                    self.idx += 1;

                    Some(self.ctx.instance.entry.matches_entry_type(kind))
                } else {
                    self.next_case();
                    self.next()
                }
            }
            BranchConditionPos::Variable => {
                if let Some(vars) = &self.cond.variable {
                    if self.idx >= vars.len() {
                        return None;
                    }

                    let var = vars[self.idx];
                    self.idx += 1;

                    Some(match var {
                        Variable::Standard(s) => {
                            let val = self
                                .ctx
                                .resolve_standard_variable(LongShortForm::default(), s);
                            val.is_some_and(|s| {
                                !s.to_string().chars().all(char::is_whitespace)
                            })
                        }
                        Variable::Number(n) => {
                            let val = self.ctx.resolve_number_variable(n);
                            val.is_some()
                        }
                        Variable::Date(d) => self.ctx.resolve_date_variable(d).is_some(),
                        Variable::Name(n) => {
                            !self.ctx.resolve_name_variable(n).is_empty()
                        }
                        Variable::Page(pv) => {
                            self.ctx.resolve_page_variable(pv).is_some()
                        }
                    })
                } else {
                    None
                }
            }
        }
    }
}

/// Renders `cs:group`; `info` is what [`RenderCsl::will_have_info`] has
/// just answered for it and `at` where (see [`RenderCsl::render_known`]).
fn render_group<T: EntryLike>(
    group: &citationberg::Group,
    ctx: &mut Context<T>,
    info: UsageInfo,
    at: Option<usize>,
) {
    let idx = ctx.push_elem(group.to_formatting());
    let affixes = group.to_affixes();

    let affix_loc = ctx.apply_prefix(&affixes);

    let delim_idx = ctx.writing.push_delimiter(group.delimiter.clone());
    render_with_delimiter(&group.children, ctx, Known::within(at));
    ctx.writing.pop_delimiter(delim_idx);

    ctx.apply_suffix(&affixes, affix_loc);

    if info.should_render_group() {
        ctx.commit_elem(idx, group.display, None);
    } else {
        ctx.discard_elem(idx);
    }
}

impl RenderCsl for citationberg::Group {
    fn render<T: EntryLike>(&self, ctx: &mut Context<T>) {
        let (info, at) = walk_for_render(ctx, |ctx| self.will_have_info(ctx));
        render_group(self, ctx, info.1, at);
        if let Some(at) = at {
            ctx.walks.log.truncate(at);
        }
    }

    fn render_known<T: EntryLike>(
        &self,
        ctx: &mut Context<T>,
        info: (bool, UsageInfo),
        at: Option<usize>,
    ) {
        render_group(self, ctx, info.1, at);
    }

    fn will_render<T: EntryLike>(&self, ctx: &mut Context<T>, var: Variable) -> bool {
        self.children.iter().any(|e| e.will_render(ctx, var))
    }

    fn will_have_info<T: EntryLike>(&self, ctx: &mut Context<T>) -> (bool, UsageInfo) {
        let mut info = UsageInfo::default();
        let mut will_print = false;

        for child in &self.children {
            let (print, child_info) = child.will_have_info(ctx);
            will_print |= print;
            info = info.merge_child(child_info);

            match child {
                citationberg::LayoutRenderingElement::Group(_) if print => {
                    info.has_non_empty_group = true;
                }
                _ => {}
            }
        }

        will_print &= info.should_render_group();

        (will_print, info)
    }
}

impl RenderCsl for citationberg::LayoutRenderingElement {
    fn render<T: EntryLike>(&self, ctx: &mut Context<T>) {
        match self {
            citationberg::LayoutRenderingElement::Text(text) => text.render(ctx),
            citationberg::LayoutRenderingElement::Number(num) => num.render(ctx),
            citationberg::LayoutRenderingElement::Label(label) => label.render(ctx),
            citationberg::LayoutRenderingElement::Date(date) => date.render(ctx),
            citationberg::LayoutRenderingElement::Names(names) => names.render(ctx),
            citationberg::LayoutRenderingElement::Choose(choose) => choose.render(ctx),
            citationberg::LayoutRenderingElement::Group(group) => group.render(ctx),
        }
    }

    fn render_known<T: EntryLike>(
        &self,
        ctx: &mut Context<T>,
        info: (bool, UsageInfo),
        at: Option<usize>,
    ) {
        match self {
            citationberg::LayoutRenderingElement::Text(text) => {
                text.render_known(ctx, info, at)
            }
            citationberg::LayoutRenderingElement::Group(group) => {
                group.render_known(ctx, info, at)
            }
            citationberg::LayoutRenderingElement::Choose(choose) => {
                choose.render_known(ctx, info, at)
            }
            _ => self.render(ctx),
        }
    }

    fn will_render<T: EntryLike>(&self, ctx: &mut Context<T>, var: Variable) -> bool {
        match self {
            citationberg::LayoutRenderingElement::Text(text) => {
                text.will_render(ctx, var)
            }
            citationberg::LayoutRenderingElement::Number(num) => {
                num.will_render(ctx, var)
            }
            citationberg::LayoutRenderingElement::Label(label) => {
                label.will_render(ctx, var)
            }
            citationberg::LayoutRenderingElement::Date(date) => {
                date.will_render(ctx, var)
            }
            citationberg::LayoutRenderingElement::Names(names) => {
                names.will_render(ctx, var)
            }
            citationberg::LayoutRenderingElement::Choose(choose) => {
                choose.will_render(ctx, var)
            }
            citationberg::LayoutRenderingElement::Group(group) => {
                group.will_render(ctx, var)
            }
        }
    }

    fn will_have_info<T: EntryLike>(&self, ctx: &mut Context<T>) -> (bool, UsageInfo) {
        if ctx.walks.on { logged(ctx, |ctx| walk(self, ctx)) } else { walk(self, ctx) }
    }
}

/// [`RenderCsl::will_have_info`] of an element, not written down.
fn walk<T: EntryLike>(
    element: &LayoutRenderingElement,
    ctx: &mut Context<T>,
) -> (bool, UsageInfo) {
    match element {
        LayoutRenderingElement::Text(text) => text.will_have_info(ctx),
        LayoutRenderingElement::Number(num) => num.will_have_info(ctx),
        LayoutRenderingElement::Label(label) => label.will_have_info(ctx),
        LayoutRenderingElement::Date(date) => date.will_have_info(ctx),
        LayoutRenderingElement::Names(names) => names.will_have_info(ctx),
        LayoutRenderingElement::Choose(choose) => choose.will_have_info(ctx),
        LayoutRenderingElement::Group(group) => group.will_have_info(ctx),
    }
}

impl RenderCsl for citationberg::Layout {
    fn render<T: EntryLike>(&self, ctx: &mut Context<T>) {
        let format_idx = ctx.push_format(self.to_formatting());
        let delim_idx = ctx.writing.push_delimiter(self.delimiter.clone());
        for e in &self.elements {
            e.render(ctx);
        }
        ctx.writing.pop_delimiter(delim_idx);
        ctx.pop_format(format_idx);
    }

    fn will_render<T: EntryLike>(&self, ctx: &mut Context<T>, var: Variable) -> bool {
        self.elements.iter().any(|e| e.will_render(ctx, var))
    }

    fn will_have_info<T: EntryLike>(&self, ctx: &mut Context<T>) -> (bool, UsageInfo) {
        let mut info = UsageInfo::default();
        let mut will_print = false;

        for child in &self.elements {
            let (print, child_info) = child.will_have_info(ctx);
            will_print |= print;
            info = info.merge_child(child_info);
        }

        (will_print, info)
    }
}

impl RenderCsl for citationberg::RenderingElement {
    fn render<T: EntryLike>(&self, ctx: &mut Context<T>) {
        match self {
            citationberg::RenderingElement::Layout(l) => l.render(ctx),
            citationberg::RenderingElement::Other(o) => o.render(ctx),
        }
    }

    fn will_render<T: EntryLike>(&self, ctx: &mut Context<T>, var: Variable) -> bool {
        match self {
            citationberg::RenderingElement::Layout(l) => l.will_render(ctx, var),
            citationberg::RenderingElement::Other(o) => o.will_render(ctx, var),
        }
    }

    fn will_have_info<T: EntryLike>(&self, ctx: &mut Context<T>) -> (bool, UsageInfo) {
        match self {
            citationberg::RenderingElement::Layout(l) => l.will_have_info(ctx),
            citationberg::RenderingElement::Other(o) => o.will_have_info(ctx),
        }
    }
}

impl From<TextCase> for Case {
    fn from(case: TextCase) -> Self {
        match case {
            TextCase::Uppercase => Case::Uppercase,
            TextCase::Lowercase => Case::Lowercase,
            TextCase::TitleCase => Case::Title(TitleCase::default()),
            TextCase::SentenceCase => Case::Sentence(SentenceCase::default()),
            TextCase::CapitalizeFirst => Case::FirstUpper,
            TextCase::CapitalizeAll => Case::AllUpper,
        }
    }
}

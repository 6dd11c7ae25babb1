//! Data types of the catalogue: argument kinds, signatures, properties,
//! alert handlers and nodes. Everything is `'static` data built in `const`
//! context, so the catalogue costs nothing at start-up.

/// The kind of value a TICKscript argument must have.
///
/// Kapacitor does no conversions (`kapacitor-semantics.md` §1.4): an `Int`
/// argument rejects `1.0` and a `Float` argument rejects `1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Go `int64`: an integer literal.
    Int,
    /// Go `float64`: a float literal.
    Float,
    /// Go `string`: a single-quoted string literal.
    Str,
    /// Go `bool`: `TRUE` or `FALSE`.
    Bool,
    /// Go `time.Duration`: a duration literal such as `10s`.
    Duration,
    /// `*ast.LambdaNode`: a `lambda:` expression.
    Lambda,
    /// `*regexp.Regexp`: a regex literal.
    Regex,
    /// The literal `*`.
    Star,
    /// A group-by dimension: a string, `*`, or a `time(d)` call (query only).
    Dimension,
    /// A list of strings.
    StrList,
    /// A pipeline node held in a variable (join and union arguments).
    Node,
    /// Go `interface{}`: anything (e.g. `fill`, `default.field` values).
    Any,
}

/// The exact Go signature of a method: required parameters, then optional
/// ones, then an optional variadic tail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sig {
    /// Parameters that must be present, in order.
    pub required: &'static [Kind],
    /// Parameters that may follow the required ones, in order.
    pub optional: &'static [Kind],
    /// A Go variadic `...T` tail: any number of values of this kind.
    pub rest: Option<Kind>,
}

impl Sig {
    /// No arguments at all.
    pub const NONE: Sig = Sig::new(&[]);

    /// A signature with only required parameters.
    pub const fn new(required: &'static [Kind]) -> Sig {
        Sig { required, optional: &[], rest: None }
    }

    /// Required parameters followed by a variadic tail.
    pub const fn rest(required: &'static [Kind], rest: Kind) -> Sig {
        Sig { required, optional: &[], rest: Some(rest) }
    }

    /// The smallest number of arguments accepted.
    pub fn min_args(&self) -> usize {
        self.required.len()
    }

    /// The largest number of arguments accepted, `None` when variadic.
    pub fn max_args(&self) -> Option<usize> {
        match self.rest {
            Some(_) => None,
            None => Some(self.required.len() + self.optional.len()),
        }
    }

    /// The kind expected at argument position `index`, if any.
    pub fn kind_at(&self, index: usize) -> Option<Kind> {
        let fixed = self.required.len() + self.optional.len();
        if index < self.required.len() {
            Some(self.required[index])
        } else if index < fixed {
            Some(self.optional[index - self.required.len()])
        } else {
            self.rest
        }
    }
}

/// A constraint on an argument value that Kapacitor only enforces when the
/// task starts (or that can never work at run time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// A duration that must be greater than zero.
    PositiveDuration,
    /// A duration that must not be negative.
    NonNegativeDuration,
    /// A string that must not be empty.
    NonEmptyStr,
    /// A float in `0.0..=1.0`.
    Fraction,
    /// A string that must be an absolute file path.
    AbsolutePath,
    /// A file mode: a value in `0..=0o777` with the user-write bit set.
    FileMode,
    /// An integer greater than zero.
    PositiveInt,
    /// An integer that must not be negative.
    NonNegativeInt,
}

/// A property method (`.name(...)`) of a node or of an alert handler.
#[derive(Debug, Clone, Copy)]
pub struct Prop {
    /// The TICKscript name, e.g. `period`.
    pub name: &'static str,
    /// The Go signature of the setter.
    pub sig: Sig,
    /// Value rules per argument index, checked when the value is a literal.
    pub rules: &'static [(usize, Rule)],
    /// A one-line description.
    pub doc: &'static str,
    /// The handler object this property creates (e.g. `.slack()`), if any.
    pub handler: Option<&'static Handler>,
}

impl Prop {
    /// A plain property with no rules and no handler.
    pub const fn new(name: &'static str, sig: Sig, doc: &'static str) -> Prop {
        Prop { name, sig, rules: &[], doc, handler: None }
    }

    /// The same property with value rules attached.
    pub const fn with_rules(self, rules: &'static [(usize, Rule)]) -> Prop {
        Prop { rules, ..self }
    }

    /// A property that creates an alert handler object.
    pub const fn handler(name: &'static str, sig: Sig, doc: &'static str, handler: &'static Handler) -> Prop {
        Prop { name, sig, rules: &[], doc, handler: Some(handler) }
    }
}

/// An alert handler object, returned by a handler property such as
/// `.slack()`. It embeds the alert node, so names it does not define fall
/// back to the alert node's properties.
#[derive(Debug, Clone, Copy)]
pub struct Handler {
    /// The handler property name, e.g. `slack`.
    pub name: &'static str,
    /// Properties defined by the handler itself.
    pub props: &'static [Prop],
}

/// The kind of data on a pipeline edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// Points, one at a time.
    Stream,
    /// Batches of points.
    Batch,
    /// Whatever the parent provides (wants), or the same as the input (provides).
    Any,
    /// No data (sources want nothing; outputs provide nothing).
    None,
}

/// Which chaining methods (`|name(...)`) a node offers, besides `stats` and
/// `deadman`, which every node has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chains {
    /// Every chaining method of a Go `chainnode`.
    Standard,
    /// Every chaining method of a `chainnode`, plus the listed ones.
    StandardPlus(&'static [&'static str]),
    /// Only the listed ones (e.g. `stream` → `from`).
    Only(&'static [&'static str]),
    /// None besides `stats` and `deadman` (output nodes).
    None,
}

/// A pipeline node type, keyed by the chaining method that creates it.
#[derive(Debug, Clone, Copy)]
pub struct Node {
    /// The chaining method name, e.g. `window` (or `stream`/`batch` for sources).
    pub name: &'static str,
    /// The Go type name, e.g. `WindowNode`, as used in Kapacitor messages.
    pub go_type: &'static str,
    /// The arguments of the chaining method.
    pub sig: Sig,
    /// The edge type the node accepts.
    pub wants: Edge,
    /// The edge type the node emits.
    pub provides: Edge,
    /// Property methods, including the node-level `quiet`.
    pub props: &'static [Prop],
    /// Chaining methods offered by the node.
    pub chains: Chains,
    /// A one-line description.
    pub doc: &'static str,
    /// Whether `tick run` implements this node.
    pub runnable: bool,
}

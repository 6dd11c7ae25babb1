//! Builtin function names and their exact signatures (`tick/stateful/functions.go`, 1.5.7).
//!
//! Arguments must match a signature exactly: int literals are not floats.

use super::types::StaticType::{self, *};

/// One accepted argument list and its result type.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sig {
    /// Argument types, in order.
    pub args: &'static [StaticType],
    /// Result type.
    pub ret: StaticType,
}

const fn sig(args: &'static [StaticType], ret: StaticType) -> Sig {
    Sig { args, ret }
}

const MATH1: &[Sig] = &[sig(&[Float], Float)];
const MATH2: &[Sig] = &[sig(&[Float, Float], Float)];
const MATH_I: &[Sig] = &[sig(&[Int], Float)];
const MATH_IF: &[Sig] = &[sig(&[Int, Float], Float)];
const STR2_BOOL: &[Sig] = &[sig(&[String, String], Bool)];
const STR2_INT: &[Sig] = &[sig(&[String, String], Int)];
const STR2_STR: &[Sig] = &[sig(&[String, String], String)];
const STR1_STR: &[Sig] = &[sig(&[String], String)];
const TIME_INT: &[Sig] = &[sig(&[Time], Int)];
const TO_BOOL: &[Sig] = &[sig(&[Bool], Bool), sig(&[String], Bool), sig(&[Int], Bool), sig(&[Float], Bool)];
const TO_INT: &[Sig] = &[sig(&[Bool], Int), sig(&[String], Int), sig(&[Int], Int), sig(&[Float], Int)];
const TO_FLOAT: &[Sig] = &[sig(&[Bool], Float), sig(&[String], Float), sig(&[Int], Float), sig(&[Float], Float)];
const TO_STRING: &[Sig] = &[
    sig(&[Bool], String),
    sig(&[String], String),
    sig(&[Int], String),
    sig(&[Float], String),
    sig(&[Duration], String),
];
const TO_DURATION: &[Sig] = &[
    sig(&[Duration], Duration),
    sig(&[Int, Duration], Duration),
    sig(&[Float, Duration], Duration),
    sig(&[String, Duration], Duration),
];
const IS_PRESENT: &[Sig] = &[
    sig(&[Missing], Bool),
    sig(&[Bool], Bool),
    sig(&[String], Bool),
    sig(&[Int], Bool),
    sig(&[Float], Bool),
];
const IF: &[Sig] = &[
    sig(&[Bool, Float, Float], Float),
    sig(&[Bool, Int, Int], Int),
    sig(&[Bool, String, String], String),
    sig(&[Bool, Bool, Bool], Bool),
    sig(&[Bool, Regex, Regex], Regex),
    sig(&[Bool, Time, Time], Time),
    sig(&[Bool, Duration, Duration], Duration),
];

const STR_LENGTH: &[Sig] = &[sig(&[String], Int)];
const STR_REPLACE: &[Sig] = &[sig(&[String, String, String, Int], String)];
const STR_SUBSTRING: &[Sig] = &[sig(&[String, Int, Int], String)];
const REGEX_REPLACE: &[Sig] = &[sig(&[Regex, String, String], String)];
const NOW: &[Sig] = &[sig(&[], Time)];
const HUMAN_BYTES: &[Sig] = &[sig(&[Float], String), sig(&[Int], String)];
const COUNT: &[Sig] = &[sig(&[], Int)];
const FLOAT_STATEFUL: &[Sig] = &[sig(&[Float], Float)];

/// The one-argument float → float math functions.
pub(crate) const MATH1_NAMES: &[&str] = &[
    "abs", "acos", "acosh", "asin", "asinh", "atan", "atanh", "cbrt", "ceil", "cos", "cosh", "erf", "erfc", "exp",
    "exp2", "expm1", "floor", "gamma", "j0", "j1", "log", "log10", "log1p", "log2", "logb", "sin", "sinh", "sqrt",
    "tan", "tanh", "trunc", "y0", "y1",
];

/// Every other builtin name of Kapacitor 1.5.7, for suggestions.
const OTHER_NAMES: &[&str] = &[
    "atan2", "hypot", "max", "min", "mod", "pow", "pow10", "jn", "yn", "bool", "int", "float", "string", "duration",
    "strContains", "strContainsAny", "strHasPrefix", "strHasSuffix", "strCount", "strIndex", "strIndexAny",
    "strLastIndex", "strLastIndexAny", "strLength", "strReplace", "strSubstring", "strToLower", "strToUpper",
    "strTrimSpace", "strTrim", "strTrimLeft", "strTrimRight", "strTrimPrefix", "strTrimSuffix", "regexReplace",
    "isPresent", "unixNano", "minute", "hour", "weekday", "day", "month", "year", "now", "humanBytes", "if",
    "count", "sigma", "spread",
];

/// All builtin names.
pub(crate) fn builtin_names() -> impl Iterator<Item = &'static str> {
    MATH1_NAMES.iter().chain(OTHER_NAMES).copied()
}

/// The signatures of builtin `name`, `None` when it is not a builtin.
pub(crate) fn signatures(name: &str) -> Option<&'static [Sig]> {
    if MATH1_NAMES.contains(&name) {
        return Some(MATH1);
    }
    Some(match name {
        "atan2" | "hypot" | "max" | "min" | "mod" | "pow" => MATH2,
        "pow10" => MATH_I,
        "jn" | "yn" => MATH_IF,
        "bool" => TO_BOOL,
        "int" => TO_INT,
        "float" => TO_FLOAT,
        "string" => TO_STRING,
        "duration" => TO_DURATION,
        "strContains" | "strContainsAny" | "strHasPrefix" | "strHasSuffix" => STR2_BOOL,
        "strCount" | "strIndex" | "strIndexAny" | "strLastIndex" | "strLastIndexAny" => STR2_INT,
        "strLength" => STR_LENGTH,
        "strReplace" => STR_REPLACE,
        "strSubstring" => STR_SUBSTRING,
        "strToLower" | "strToUpper" | "strTrimSpace" => STR1_STR,
        "strTrim" | "strTrimLeft" | "strTrimRight" | "strTrimPrefix" | "strTrimSuffix" => STR2_STR,
        "regexReplace" => REGEX_REPLACE,
        "isPresent" => IS_PRESENT,
        "unixNano" | "minute" | "hour" | "weekday" | "day" | "month" | "year" => TIME_INT,
        "now" => NOW,
        "humanBytes" => HUMAN_BYTES,
        "if" => IF,
        "count" => COUNT,
        "sigma" | "spread" => FLOAT_STATEFUL,
        _ => return None,
    })
}

/// The signature exactly matching runtime argument types.
pub(crate) fn find_exact(sigs: &'static [Sig], args: &[StaticType]) -> Option<&'static Sig> {
    sigs.iter().find(|s| s.args == args)
}

/// The signatures that could still match when some argument types are unknown.
pub(crate) fn candidates<'a>(sigs: &'static [Sig], args: &'a [StaticType]) -> impl Iterator<Item = &'static Sig> + 'a {
    sigs.iter().filter(move |s| {
        s.args.len() == args.len()
            && s.args.iter().zip(args).all(|(want, got)| !got.is_known() || want == got)
    })
}

/// `[(float), (int)]`: the signature list as Kapacitor prints it.
pub(crate) fn format_signatures(sigs: &[Sig]) -> std::string::String {
    let list: Vec<std::string::String> = sigs.iter().map(|s| format_domain(s.args)).collect();
    format!("[{}]", list.join(", "))
}

/// `(float,int)`: one argument list.
pub(crate) fn format_domain(args: &[StaticType]) -> std::string::String {
    let names: Vec<&str> = args.iter().map(|t| t.name()).collect();
    format!("({})", names.join(","))
}

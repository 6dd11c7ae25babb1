//! The registry of stable diagnostic codes: never renumber, never reuse.

use super::Severity;

/// Static facts about one code: what `tick explain` prints.
#[derive(Debug)]
pub struct CodeInfo {
    /// The code as printed (`E203`).
    pub code: &'static str,
    /// Lint name for warnings (`unused-var`), used to suppress them.
    pub lint: Option<&'static str>,
    /// One-line title.
    pub title: &'static str,
    /// Long explanation.
    pub explanation: &'static str,
    /// A minimal script that triggers it.
    pub example: &'static str,
}

macro_rules! codes {
    ($( $variant:ident => $code:literal, $lint:expr, $title:literal, $example:literal, $explanation:literal; )*) => {
        /// A stable diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $( #[doc = $title] $variant, )*
        }

        impl Code {
            /// Every code, in registry order.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The registry entry for this code.
            pub fn info(self) -> &'static CodeInfo {
                match self {
                    $( Code::$variant => &CodeInfo {
                        code: $code, lint: $lint, title: $title,
                        explanation: $explanation, example: $example,
                    }, )*
                }
            }
        }
    };
}

impl Code {
    /// The code as printed (`E203`).
    pub fn as_str(self) -> &'static str {
        self.info().code
    }

    /// Warnings for `W` codes, errors for the rest.
    pub fn severity(self) -> Severity {
        if self.as_str().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }

    /// Looks a code up by its text (`E203`, case-insensitive) or lint name.
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| {
            c.as_str().eq_ignore_ascii_case(text) || c.info().lint == Some(text)
        })
    }
}

codes! {
    // ---- E0xx: input files -------------------------------------------------
    Io => "E001", None, "file cannot be read", "",
        "The path does not exist, is not readable, or is a directory with no `.tick` files.";
    NotUtf8 => "E002", None, "file is not valid UTF-8", "",
        "TICKscripts, line protocol and handler files must be UTF-8 text. The diagnostic points at the first invalid byte.";
    EmptyScript => "E003", None, "script is empty", "",
        "A TICKscript must contain at least one statement. Kapacitor says only `must provide TICKscript`.";

    // ---- E1xx: syntax ------------------------------------------------------
    Syntax => "E101", None, "syntax error", "stream\n    |from()\n        .measurement('cpu'\n",
        "The parser found a token it did not expect. The message lists what would have been accepted at that point, in words.";
    UnterminatedString => "E102", None, "unterminated string", "stream|from().measurement('cpu)\n",
        "A single-quoted string has no closing quote. The only escape inside '...' is \\'; a string cannot end with a backslash.";
    UnterminatedRef => "E103", None, "unterminated field reference", "stream|from()|alert().crit(lambda: \"usage_idle < 10)\n",
        "A double-quoted field or tag reference has no closing double quote.";
    UnterminatedRegex => "E104", None, "unterminated regex", "stream|from().where(lambda: \"host\" =~ /web.*)\n",
        "A regex literal /.../ has no closing slash. Write \\/ for a slash inside the regex.";
    BadNumber => "E105", None, "invalid number literal", "var x = 08\n",
        "Integers with a leading 0 are octal in TICKscript (010 is 8), so 08 and 09 are invalid; values must fit in a signed 64-bit integer; a number has at most one decimal point.";
    BadRegex => "E106", None, "invalid regular expression", "stream|from().where(lambda: \"host\" =~ /web(/)\n",
        "The regex does not compile with Go's RE2 syntax (no look-around, no back-references).";
    IllegalChar => "E107", None, "illegal character", "stream|from().measurement($cpu)\n",
        "The character cannot start any TICKscript token. `;` is not a statement separator, `$` is not a variable sigil and `#` does not start a comment (use //).";

    // ---- E2xx: names and structure ----------------------------------------
    NoTaskType => "E201", None, "script starts with neither stream nor batch", "from()\n    .measurement('cpu')\n",
        "Every pipeline starts from the predefined `stream` (for points pushed to Kapacitor) or `batch` (for queries against InfluxDB).";
    MixedTaskType => "E202", None, "script uses both stream and batch", "stream|from()\nbatch|query('SELECT 1')\n",
        "One task is either a stream task or a batch task. Split the script into two tasks.";
    UndefinedVar => "E203", None, "undefined variable", "stream|from()|alert().crit(lambda: \"usage_idle\" < threshold)\n",
        "The name is not a declared var. Kapacitor reports this without a position; tick points at it. Field and tag references are written in double quotes (\"usage_idle\"); vars are declared with `var name = value` before use.";
    RedefinedVar => "E204", None, "variable redefined", "var x = 10\nvar x = 20\n",
        "TICKscript vars are immutable: a name can be declared once. `stream`, `batch` and `time` are predefined and cannot be redeclared either.";
    UnknownNode => "E205", None, "unknown chaining method (node)", "stream|from()|alrt()\n",
        "The node does not have this chaining method. The message suggests the closest known name.";
    UnknownProperty => "E206", None, "unknown property method", "stream|from()|alert().crtical(lambda: TRUE)\n",
        "The node (or handler) does not have this property. The message suggests the closest known name.";
    PipeForProperty => "E207", None, "`|` used for a property", "stream|from()|measurement('cpu')\n",
        "`|name()` creates a new node; properties that configure the current node are set with `.name()`.";
    DotForNode => "E208", None, "`.` used for a chaining method", "stream|from().alert()\n",
        "`.name()` sets a property; nodes are created with `|name()`.";
    BadVarType => "E209", None, "invalid var type", "var x integer\n",
        "A typed declaration `var x T` needs T to be one of int, float, bool, string, regex, duration, lambda, list, star.";
    MissingVarValue => "E210", None, "template var has no value", "var threshold float\nstream|from()|alert().crit(lambda: \"v\" < threshold)\n",
        "`var x T` declares a template variable whose value must be supplied when the task is defined from a template (`-vars`). tick check reports it so the script is not run without one.";
    WrongChainTarget => "E211", None, "this cannot be chained here", "var x = 5\nx|alert()\n",
        "Only nodes can be chained, and a node only accepts the edge type it wants: window, groupBy, where and eval take points (a stream); aggregates take batches from window.";
    NothingToDo => "E212", None, "task does nothing", "stream\n",
        "A pipeline with only its source node does nothing; Kapacitor refuses to start it.";

    // ---- E3xx: arguments ---------------------------------------------------
    ArgCount => "E301", None, "wrong number of arguments", "stream|from().measurement('cpu', 'mem')\n",
        "The method takes a different number of arguments. `tick explain` on the node lists its signature.";
    ArgKind => "E302", None, "wrong argument type", "stream|from()|window().period('10s')\n",
        "TICKscript never converts arguments: a duration is written 10s, a float needs a decimal point (0.5, 95.0), a string uses single quotes.";
    DoubleQuotedString => "E303", None, "double-quoted reference where a string is expected", "stream|from().measurement(\"cpu\")\n",
        "\"...\" is a field or tag reference in TICKscript; string literals use single quotes: 'cpu'.";
    NeverWorks => "E304", None, "value can never work", "stream|from()|window().period(0s).every(10s)\n",
        "The value is accepted by the parser but makes the node useless or is rejected when the task starts (zero or negative durations, empty names, thresholds out of range, relative log paths).";
    AsCountMismatch => "E305", None, "`.as()` names do not match the expressions", "stream|from()|eval(lambda: \"a\" * 2.0, lambda: \"b\")\n    .as('a2')\n",
        "eval needs exactly one `.as()` name per lambda.";
    ConflictingProperties => "E306", None, "conflicting properties", "stream|from()|window().period(10s).periodCount(10)\n",
        "The two properties cannot be used together on this node.";
    BadDimension => "E307", None, "invalid group-by dimension", "stream|from().groupBy(*, 'host')\n",
        "Group by either `*` or named tags, not both; names cannot be empty; `.exclude()` needs `*`.";
    MissingProperty => "E308", None, "required property missing", "stream|from()|window()\n",
        "The node needs this property to do anything (e.g. a window needs a period or a periodCount).";

    // ---- E4xx: lambdas -----------------------------------------------------
    TypeMismatch => "E401", None, "mismatched types in a binary operation", "stream|from()|alert().crit(lambda: 'abc' < 10)\n",
        "The two operands have types the operator does not accept together. Kapacitor finds this only when the task is enabled, or on every point at run time.";
    MixedArithmetic => "E402", None, "int and float mixed in arithmetic", "var limit = 10 * 1.5\nstream|from()|alert().crit(lambda: \"usage_idle\" < limit).log('/tmp/a.log')\n",
        "Comparisons mix int and float freely, but arithmetic never converts: write 10.0, or convert with float()/int(). Line protocol `v=7` is a float; `v=7i` is an int.";
    NotBoolean => "E403", None, "expression is not boolean", "stream|from()|alert().crit(lambda: \"usage_idle\" + 10.0)\n",
        "Levels, resets and where filters need a boolean expression. Kapacitor only notices when a point arrives.";
    UnknownFunction => "E404", None, "unknown function", "stream|from()|alert().crit(lambda: foo(\"usage_idle\") < 10)\n",
        "The lambda calls a function that does not exist in Kapacitor 1.5.7.";
    FunctionArgs => "E405", None, "wrong arguments to a builtin function", "stream|from()|eval(lambda: sqrt(4)).as('r')\n",
        "Builtins accept exact signatures: math functions take floats (sqrt(4.0)), duration() takes a number and a unit.";
    InvalidOperator => "E406", None, "operator not defined for this type", "stream|from()|alert().crit(lambda: !\"up\" > 5)\n",
        "The operator is never valid for this operand type (e.g. `%` on floats, ordering of booleans, unary `!` binds tighter than comparisons).";
    IntDivZero => "E407", None, "integer division by zero", "stream|from()|eval(lambda: \"n\" / 0).as('x')\n",
        "Integer division or modulo by a literal zero; Kapacitor crashes or drops the point.";

    // ---- E5xx: templates ---------------------------------------------------
    TemplateSyntax => "E501", None, "template does not parse", "stream|from()|alert().message('{{ .ID ')\n",
        "The .id/.message/.details text is a Go template; Kapacitor only finds a broken one when the task starts.";
    TemplateField => "E502", None, "template uses data that does not exist", "stream|from()|alert().id('{{ .Host }}')\n",
        "Kapacitor's template data has only Name, TaskName, Group, Tags, ServerInfo and (not in .id) ID, Fields, Level, Time, Duration, and (details only) Message. A missing field stops the task at the first point.";
    TemplateFunction => "E503", None, "template function not defined", "stream|from()|alert().details('{{ jsonCompact . }}')\n",
        "Only Go's builtins, plus `json` in details, exist in Kapacitor 1.5.7 templates.";

    // ---- E6xx: topic-handler files ----------------------------------------
    HandlerSyntax => "E601", None, "handler file does not parse", "",
        "Topic-handler files are YAML (.yaml, .yml) or JSON (.json) with keys id, topic, kind, match, options.";
    HandlerSpec => "E602", None, "invalid handler spec", "",
        "id must match [-._\\p{L}0-9]+, topic [-:._\\p{L}0-9]+, kind must be a known handler kind.";
    HandlerOption => "E603", None, "invalid handler option", "",
        "The option is unknown for this kind, or has the wrong type. Kapacitor rejects unknown option keys too.";
    HandlerMatch => "E604", None, "invalid match expression", "",
        "match is a lambda body without `lambda:`; only OK, INFO, WARNING, CRITICAL are identifiers, references name tags.";

    // ---- E7xx: run time (run, test) ---------------------------------------
    Unsupported => "E701", None, "not supported by tick run", "batch|query('SELECT mean(\"v\") FROM \"db\".\"rp\".\"cpu\"')\n",
        "tick check accepts every Kapacitor node, but tick run executes only a subset; batch tasks need InfluxDB.";
    LineProtocol => "E702", None, "bad line-protocol line", "",
        "The input line is not valid InfluxDB line protocol; the message says what is wrong and where.";

    // ---- E8xx: test files (tick test) ---------------------------------------
    TestFile => "E801", None, "invalid test file", "",
        "A `tick test` file does not parse, names an unknown key, a missing script or input, or an impossible expectation. The message says which; `tick test` exits 2.";

    // ---- E9xx: tick's own files ------------------------------------------
    ServeConfig => "E901", None, "invalid tick serve config", "",
        "`tick check tick.toml` parses a `tick serve` config file as the server does: TOML syntax, known kebab-case keys, value types, durations (exec-timeout, shutdown-timeout) and `db.rp` pairs of [tasks.NAME].";

    // ---- Wxxx: lints -------------------------------------------------------
    AlertWithoutHandler => "W001", Some("alert-without-handler"), "alert has no handler", "stream|from()|alert().crit(lambda: \"v\" > 1)\n",
        "The alert computes levels but sends events nowhere: add .exec(), .log(), .topic(), a chained node, or another handler.";
    RefComparison => "W002", Some("reference-comparison"), "two references compared", "stream|from().where(lambda: \"host\" == \"web\")\n",
        "\"x\" == \"y\" compares two fields or tags. If a string was meant, use single quotes: \"host\" == 'web'. Not reported when both name fields known to exist upstream: the prefixed fields of a join or combine (\"m1.value\" != \"m2.value\" after .as('m1', 'm2')) or the .as() results of eval and InfluxQL nodes.";
    UnusedVar => "W003", Some("unused-var"), "unused variable", "var x = 10\nstream|from()|alert().crit(lambda: TRUE).log('/tmp/a')\n",
        "The var is declared but never used: remove it, or use it. A var whose value is a pipeline (`var data = stream|from()|log()`) is never reported: it runs whether referenced or not. Suppress with `--allow unused-var` or a `// tick:allow unused-var` comment.";
    SplitStatement => "W004", Some("split-statement"), "statement silently splits in two", "var x = 1h30m\n",
        "Kapacitor accepts `var x = 1h30m` as `var x = 1h` followed by a useless `30m`. Write a single unit (90m).";
    DuplicateProperty => "W005", Some("duplicate-property"), "property set twice", "stream|from().measurement('cpu').measurement('mem')\n",
        "The later call replaces the earlier one; the first has no effect.";
    SwallowedLine => "W006", Some("comment-swallows-line"), "line eaten by the comment above", "// note\n/ 2\nstream|from()|log()\n",
        "In Kapacitor a line starting with `/` right after a `//` comment line is part of the comment.";
}

//! Methods added to TICKscript after Kapacitor 1.5.7 (CHANGELOG 1.5.8 .. 1.8,
//! `kapacitor-versions.md` row 16): in 1.5.7 they are unknown, and the
//! diagnostic names the release that introduced them.

/// (owner, method, first release): the owner is a node or handler name.
const LATER: &[(&str, &str, &str)] = &[
    ("alert", "bigPanda", "1.5.8"),
    ("alert", "zenoss", "1.6.0"),
    ("alerta", "correlated", "1.5.8"),
    ("alerta", "attribute", "1.6.3"),
    ("serviceNow", "additionalInfo", "1.5.8"),
    ("kafka", "partitionHashAlgorithm", "1.6.0"),
    ("kafka", "disablePartitionById", "1.6.0"),
    ("email", "toTemplates", "1.6.3"),
    ("join", "deleteAll", "1.6.0"),
    ("*", "trickle", "1.6.0"),
    ("batch", "queryFlux", "1.6.0"),
];

/// The release that added `method` to `owner` (`*`: every chaining node), if any.
pub fn introduced(owner: &str, method: &str) -> Option<&'static str> {
    let chainable = !matches!(owner, "stream" | "batch" | "influxDBOut" | "kapacitorLoopback");
    LATER
        .iter()
        .find(|(o, m, _)| (*o == owner || (*o == "*" && chainable)) && m.eq_ignore_ascii_case(method))
        .map(|(_, _, v)| *v)
}

/// The help text for a method that needs a later release.
pub fn help(sigil: char, method: &str, version: &str) -> String {
    format!("`{sigil}{method}()` needs Kapacitor {version}; tick checks against Kapacitor 1.5.7, where it does not exist")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_methods_name_their_release() {
        assert_eq!(introduced("alert", "zenoss"), Some("1.6.0"));
        assert_eq!(introduced("window", "trickle"), Some("1.6.0"));
        assert_eq!(introduced("stream", "trickle"), None);
        assert_eq!(introduced("alert", "slack"), None);
    }
}

//! Catalogue tests: signatures taken from Kapacitor 1.5.7 (`pipeline/*.go`,
//! `kapacitor-semantics.md` §1.4, §2, §3.1) and structural invariants.

use super::*;
use Kind::{Dimension, Duration, Float, Int, Lambda, Str};

fn prop_of(node_name: &str, prop: &str) -> &'static Prop {
    let n = node(node_name).unwrap_or_else(|| panic!("no node {node_name}"));
    property(n, prop).unwrap_or_else(|| panic!("no property {node_name}.{prop}"))
}

fn alert() -> &'static Node {
    node("alert").unwrap()
}

#[test]
fn window_period_takes_a_duration() {
    assert_eq!(prop_of("window", "period").sig, Sig::new(&[Duration]));
    assert_eq!(prop_of("window", "periodCount").sig, Sig::new(&[Int]));
}

#[test]
fn percentile_takes_a_string_and_a_float() {
    assert_eq!(node("percentile").unwrap().sig, Sig::new(&[Str, Float]));
}

#[test]
fn alert_history_is_int_and_flapping_is_two_fractions() {
    assert_eq!(prop_of("alert", "history").sig, Sig::new(&[Int]));
    let flapping = prop_of("alert", "flapping");
    assert_eq!(flapping.sig, Sig::new(&[Float, Float]));
    assert_eq!(flapping.rules, &[(0, Rule::Fraction), (1, Rule::Fraction)]);
}

#[test]
fn exec_takes_a_program_and_string_args() {
    let exec = prop_of("alert", "exec");
    assert_eq!(exec.sig, Sig::rest(&[Str], Str));
    assert_eq!(exec.handler.map(|h| h.name), Some("exec"));
}

#[test]
fn group_by_is_variadic_dimensions_everywhere() {
    assert_eq!(node("groupBy").unwrap().sig, Sig::rest(&[], Dimension));
    assert_eq!(prop_of("from", "groupBy").sig, Sig::rest(&[], Dimension));
    assert_eq!(prop_of("query", "groupBy").sig, Sig::rest(&[], Dimension));
}

#[test]
fn from_measurement_takes_one_string() {
    let m = prop_of("from", "measurement");
    assert_eq!(m.sig, Sig::new(&[Str]));
    assert_eq!(m.sig.max_args(), Some(1));
}

#[test]
fn deadman_and_stats_have_go_signatures() {
    assert_eq!(node("deadman").unwrap().sig, Sig::rest(&[Float, Duration], Lambda));
    assert_eq!(node("stats").unwrap().sig, Sig::new(&[Duration]));
    assert_eq!(node("top").unwrap().sig, Sig::rest(&[Int, Str], Str));
    assert_eq!(node("movingAverage").unwrap().sig, Sig::new(&[Str, Int]));
    assert_eq!(node("holtWinters").unwrap().sig, Sig::new(&[Str, Int, Int, Duration]));
}

#[test]
fn sig_helpers_report_arity_and_kinds() {
    let s = Sig { required: &[Str], optional: &[Int], rest: None };
    assert_eq!((s.min_args(), s.max_args()), (1, Some(2)));
    assert_eq!((s.kind_at(0), s.kind_at(1), s.kind_at(2)), (Some(Str), Some(Int), None));
    let v = Sig::rest(&[Str], Lambda);
    assert_eq!((v.max_args(), v.kind_at(5)), (None, Some(Lambda)));
}

#[test]
fn names_match_with_either_case_of_the_first_letter() {
    assert!(node("Window").is_some());
    assert_eq!(prop_of("window", "Period").name, "period");
    assert!(property(node("window").unwrap(), "PERIOD").is_none());
    let pushover = prop_of("alert", "pushover").handler.unwrap();
    assert_eq!(handler_property(pushover, alert(), "uRL").map(|p| p.name), Some("URL"));
    assert!(handler_property(pushover, alert(), "url").is_none());
}

#[test]
fn stream_chains_only_from_stats_and_deadman() {
    let stream = source("stream").unwrap();
    let mut names: Vec<_> = chain_methods(stream).map(|n| n.name).collect();
    names.sort_unstable();
    assert_eq!(names, ["deadman", "from", "stats"]);
    assert!(chain_method(stream, "window").is_none());
    let batch = source("batch").unwrap();
    assert!(chain_method(batch, "query").is_some());
    assert!(chain_method(batch, "from").is_none());
}

#[test]
fn from_chains_from_where_and_group_by_but_query_chains_no_from() {
    let from = node("from").unwrap();
    for name in ["from", "where", "groupBy", "window", "alert", "mean", "stats"] {
        assert!(chain_method(from, name).is_some(), "from|{name}");
    }
    let query = node("query").unwrap();
    assert!(chain_method(query, "from").is_none());
    assert!(chain_method(query, "query").is_none());
    assert!(chain_method(query, "groupBy").is_some());
}

#[test]
fn output_nodes_only_chain_stats_and_deadman() {
    for name in ["influxDBOut", "kapacitorLoopback"] {
        let out = node(name).unwrap();
        let chains: Vec<_> = chain_methods(out).map(|n| n.name).collect();
        assert_eq!(chains, ["stats", "deadman"], "{name}");
        assert_eq!(out.provides, Edge::None);
    }
}

#[test]
fn alert_log_is_both_a_handler_property_and_a_chain() {
    let log = prop_of("alert", "log");
    assert_eq!(log.rules, &[(0, Rule::AbsolutePath)]);
    let mode = handler_property(log.handler.unwrap(), alert(), "mode").unwrap();
    assert_eq!((mode.sig, mode.rules), (Sig::new(&[Int]), &[(0, Rule::FileMode)][..]));
    assert_eq!(chain_method(alert(), "log").unwrap().go_type, "LogNode");
}

#[test]
fn handler_properties_fall_back_to_the_alert_node() {
    let slack = prop_of("alert", "slack").handler.unwrap();
    assert_eq!(handler_property(slack, alert(), "channel").unwrap().sig, Sig::new(&[Str]));
    assert_eq!(handler_property(slack, alert(), "crit").unwrap().sig, Sig::new(&[Lambda]));
    assert!(handler_property(slack, alert(), "mode").is_none());
    let mqtt = prop_of("alert", "mqtt").handler.unwrap();
    assert_eq!(handler_property(mqtt, alert(), "topic").unwrap().doc, mqtt.props[1].doc);
    let og = prop_of("alert", "opsGenie2").handler.unwrap();
    assert_eq!(handler_property(og, alert(), "teams").unwrap().sig, Sig::rest(&[], Str));
}

#[test]
fn head_only_methods_are_absent() {
    for name in ["bigPanda", "zenoss"] {
        assert!(property(alert(), name).is_none(), "{name}");
    }
    for name in ["trickle", "queryFlux"] {
        assert!(node(name).is_none(), "{name}");
    }
    assert!(property(node("join").unwrap(), "deleteAll").is_none());
    let absent = [("email", "toTemplates"), ("alerta", "correlated"), ("alerta", "attribute"),
        ("kafka", "disablePartitionById"), ("kafka", "partitionHashAlgorithm"),
        ("serviceNow", "additionalInfo"), ("opsGenie2", "details")];
    for (handler, name) in absent {
        let h = prop_of("alert", handler).handler.unwrap();
        assert!(h.props.iter().all(|p| p.name != name), "{handler}.{name}");
    }
}

#[test]
fn handlers_added_in_1_5_x_are_present() {
    for (handler, name) in [("teams", "channelURL"), ("discord", "embedTitle"), ("serviceNow", "metricName"),
        ("opsGenie2", "recoveryAction"), ("post", "skipSSLVerification"), ("pagerDuty2", "link"), ("sensu", "metadata")] {
        let h = prop_of("alert", handler).handler.unwrap();
        assert!(h.props.iter().any(|p| p.name == name), "{handler}.{name}");
    }
}

fn assert_unique<'a>(what: &str, names: impl Iterator<Item = &'a str>) {
    let mut seen = std::collections::HashSet::new();
    for n in names {
        assert!(seen.insert(n), "duplicate {n} in {what}");
    }
}

#[test]
fn names_are_unique_and_documented() {
    let every = all_nodes().iter().chain(SOURCES.iter());
    assert_unique("nodes", every.clone().map(|n| n.name));
    for n in every {
        assert!(!n.doc.is_empty(), "{} has no doc", n.name);
        assert_unique(n.name, n.props.iter().map(|p| p.name));
        assert!(n.props.iter().any(|p| p.name == "quiet"), "{} lacks quiet", n.name);
        for p in n.props {
            assert!(!p.doc.is_empty(), "{}.{} has no doc", n.name, p.name);
            if let Some(h) = p.handler {
                assert_eq!(h.name, p.name);
                assert_unique(h.name, h.props.iter().map(|p| p.name));
                assert!(h.props.iter().all(|p| !p.doc.is_empty()));
            }
        }
    }
}

#[test]
fn every_listed_chain_target_exists() {
    for n in all_nodes().iter().chain(SOURCES.iter()) {
        let listed = match n.chains {
            Chains::Only(list) | Chains::StandardPlus(list) => list,
            _ => &[],
        };
        for target in listed {
            assert!(node(target).is_some(), "{} chains unknown {target}", n.name);
        }
    }
}

#[test]
fn runnable_nodes_are_the_ones_tick_run_implements() {
    let mut runnable: Vec<_> = all_nodes().iter().filter(|n| n.runnable).map(|n| n.name).collect();
    runnable.sort_unstable();
    let mut expected = vec!["alert", "bottom", "count", "cumulativeSum", "deadman", "default", "delete", "derivative",
        "difference", "distinct", "elapsed", "eval", "first", "from", "groupBy", "last", "log", "max", "mean",
        "median", "min", "mode", "movingAverage", "percentile", "spread", "stateCount", "stateDuration", "stddev",
        "sum", "top", "where", "window"];
    expected.extend(["combine", "flatten", "join", "union"]);
    expected.sort_unstable();
    assert_eq!(runnable, expected);
    assert!(source("stream").unwrap().runnable);
}

#[test]
fn suggestions_use_the_catalogue() {
    let from = node("from").unwrap();
    assert_eq!(suggest("alrt", chain_methods(from).map(|n| n.name)), Some("alert"));
    assert_eq!(suggest("crtical", alert().props.iter().map(|p| p.name)), Some("crit"));
}

#[test]
fn window_turns_a_stream_into_batches() {
    let w = node("window").unwrap();
    assert_eq!((w.wants, w.provides), (Edge::Stream, Edge::Batch));
    assert_eq!(node("mean").unwrap().provides, Edge::Stream);
    assert_eq!(node("top").unwrap().provides, Edge::Batch);
}
